using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;

namespace OpsDesk.Tests.Worker.Outbox;

/// <summary>Reading what the relay put on the wire.</summary>
public static class Messages
{
    public static string Header(this ConsumeResult<string, string> result, string key) =>
        result.Message.Headers.TryGetLastBytes(key, out var bytes) ? Encoding.UTF8.GetString(bytes) : throw new AssertionException($"header {key} missing");

    public static long EventId(this ConsumeResult<string, string> result) => long.Parse(result.Header("ce_id"), CultureInfo.InvariantCulture);

    public static JsonObject Body(this ConsumeResult<string, string> result) => JsonNode.Parse(result.Message.Value)!.AsObject();

    /// <summary>For each (topic, ticket), the event ids in the order a consumer of that topic sees them.</summary>
    public static Dictionary<(string Topic, string Ticket), List<long>> SequencesPerTopicAndTicket(IEnumerable<ConsumeResult<string, string>> results) =>
        results.GroupBy(r => (r.Topic, r.Message.Key)).ToDictionary(g => g.Key, g => g.Select(r => r.EventId()).ToList());
}
