using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;

namespace OpsDesk.Worker.Outbox;

/// <summary>
/// Turns a timeline event into a Kafka message: key = ticket id (so one ticket's events share a
/// partition and keep their order), value = a CloudEvents 1.0 structured-mode JSON document, and
/// the <c>ce_</c> attribute headers so consumers can route without parsing the body.
/// </summary>
public static class CloudEventMessage
{
    public const string SpecVersion = "1.0";
    public const string StructuredContentType = "application/cloudevents+json; charset=UTF-8";
    public const string DataContentType = "application/json";

    public static string Source(long ticketId) => "/opsdesk/tickets/" + ticketId.ToString(CultureInfo.InvariantCulture);

    /// <summary>RFC 3339 in UTC with the microseconds PostgreSQL keeps.</summary>
    public static string Time(DateTime occurredAt) =>
        DateTime.SpecifyKind(occurredAt.Kind == DateTimeKind.Local ? occurredAt.ToUniversalTime() : occurredAt, DateTimeKind.Utc)
            .ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static Message<string, byte[]> Create(OutboxEvent e)
    {
        var id = e.Id.ToString(CultureInfo.InvariantCulture);
        var subject = e.TicketId.ToString(CultureInfo.InvariantCulture);
        var source = Source(e.TicketId);
        var time = Time(e.OccurredAt);
        return new Message<string, byte[]>
        {
            Key = subject,
            Value = Body(e, id, subject, source, time),
            Headers = new Headers
            {
                { "ce_specversion", Encoding.UTF8.GetBytes(SpecVersion) },
                { "ce_id", Encoding.UTF8.GetBytes(id) },
                { "ce_source", Encoding.UTF8.GetBytes(source) },
                { "ce_type", Encoding.UTF8.GetBytes(e.Type) },
                { "ce_subject", Encoding.UTF8.GetBytes(subject) },
                { "ce_time", Encoding.UTF8.GetBytes(time) },
                { "content-type", Encoding.UTF8.GetBytes(StructuredContentType) },
            },
        };
    }

    private static byte[] Body(OutboxEvent e, string id, string subject, string source, string time)
    {
        var buffer = new MemoryStream(256 + e.Payload.Length);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("specversion", SpecVersion);
            w.WriteString("id", id);
            w.WriteString("source", source);
            w.WriteString("type", e.Type);
            w.WriteString("subject", subject);
            w.WriteString("time", time);
            w.WriteString("datacontenttype", DataContentType);
            w.WritePropertyName("data");
            // jsonb text from PostgreSQL is valid JSON; written as is (and validated by the writer).
            w.WriteRawValue(e.Payload);
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
