using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using OpsDesk.Db.Events;

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

    /// <summary>
    /// What a consumer that drops repeats by CloudEvent id sees, compared with the timeline:
    /// events never delivered, repeats, and events that arrived after a later event of their ticket
    /// (per topic, first delivery counts).
    /// </summary>
    public static StreamAudit Audit(IReadOnlyCollection<TicketEventRow> expected, IReadOnlyCollection<ConsumeResult<string, string>> messages)
    {
        var seen = messages.Select(m => m.EventId()).ToHashSet();
        var lost = expected.Where(e => !seen.Contains(e.Id)).Select(e => e.Id).ToList();
        var reorders = new List<(string Ticket, long Id, long After)>();
        foreach (var ((_, ticket), ids) in SequencesPerTopicAndTicket(messages))
        {
            var first = new HashSet<long>();
            var max = long.MinValue;
            foreach (var id in ids)
            {
                if (!first.Add(id))
                    continue;
                if (id < max)
                    reorders.Add((ticket, id, max));
                max = Math.Max(max, id);
            }
        }

        return new StreamAudit(lost, messages.Count - seen.Count, reorders);
    }
}

/// <summary>Lost events, repeated deliveries and per-ticket reorders (event id, and the later id it came after).</summary>
public sealed record StreamAudit(IReadOnlyList<long> Lost, int Duplicates, IReadOnlyList<(string Ticket, long Id, long After)> Reorders)
{
    public int ReorderedTickets => Reorders.Select(r => r.Ticket).Distinct().Count();

    public override string ToString() =>
        $"lost {Lost.Count}, duplicates {Duplicates}, reorders {Reorders.Count} across {ReorderedTickets} tickets"
        + (Reorders.Count > 0 ? $" (first: event {Reorders[0].Id} after {Reorders[0].After} on ticket {Reorders[0].Ticket})" : "");
}
