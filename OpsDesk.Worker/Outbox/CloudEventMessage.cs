using System.Globalization;
using System.Text;
using System.Text.Json;
using CloudNative.CloudEvents;
using Confluent.Kafka;
using OpsDesk.Db;
using OpsDesk.Db.Outbox;

namespace OpsDesk.Worker.Outbox;

/// <summary>
/// Turns a timeline event into a Kafka message through the CloudEvents SDK: key = ticket id (so one
/// ticket's events share a partition and keep their order), value = the CloudEvents 1.0
/// structured-mode JSON document (<see cref="TimelineEventFormatter"/>), and the <c>ce_</c>
/// attribute headers of binary mode beside it, so consumers can route without parsing the body.
/// </summary>
public static class CloudEventMessage
{
    /// <summary>The <c>content-type</c> header: the structured-mode media type with its charset.</summary>
    public const string StructuredContentType = "application/cloudevents+json; charset=UTF-8";

    /// <summary>Prefix of the attribute headers (the Kafka protocol binding's).</summary>
    public const string HeaderPrefix = "ce_";

    private static readonly TimelineEventFormatter Formatter = new();

    /// <summary>
    /// The CloudEvents distributed-tracing extension's <c>traceparent</c>: the W3C trace context of the
    /// span that wrote the event, so a consumer continues the trace of the request behind it. The
    /// C# SDK does not define it; it is a plain string extension attribute.
    /// </summary>
    public static readonly CloudEventAttribute TraceParentAttribute = CloudEventAttribute.CreateExtension("traceparent", CloudEventAttributeType.String);

    public static string Source(long ticketId) => "/opsdesk/tickets/" + ticketId.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The event as a CloudEvent: id = event id, subject = ticket id, data = the stored payload, and
    /// <c>traceparent</c> when the event was written inside a trace.
    /// </summary>
    public static CloudEvent ToCloudEvent(OutboxEvent e)
    {
        using var payload = JsonDocument.Parse(e.Payload);
        var cloudEvent = new CloudEvent(CloudEventsSpecVersion.V1_0, e.TraceParent is null ? [] : [TraceParentAttribute])
        {
            Id = e.Id.ToString(CultureInfo.InvariantCulture),
            Source = new Uri(Source(e.TicketId), UriKind.Relative),
            Type = e.Type,
            Subject = e.TicketId.ToString(CultureInfo.InvariantCulture),
            Time = UtcTime.Offset(e.OccurredAt),
            // datacontenttype stays unset: the formatter writes application/json just before data.
            Data = payload.RootElement.Clone(),
        };
        if (e.TraceParent is not null)
            cloudEvent[TraceParentAttribute] = e.TraceParent;
        return cloudEvent;
    }

    public static Message<string, byte[]> Create(OutboxEvent e)
    {
        var cloudEvent = ToCloudEvent(e);
        var headers = new Headers { { HeaderPrefix + CloudEventsSpecVersion.SpecVersionAttribute.Name, Encoding.UTF8.GetBytes(cloudEvent.SpecVersion.VersionId) } };
        foreach (var (attribute, value) in cloudEvent.GetPopulatedAttributes())
            headers.Add(HeaderPrefix + attribute.Name, Encoding.UTF8.GetBytes(attribute.Format(value)));
        headers.Add("content-type", Encoding.UTF8.GetBytes(StructuredContentType));
        return new Message<string, byte[]>
        {
            Key = cloudEvent.Subject!,
            Value = Formatter.EncodeStructuredModeMessage(cloudEvent, out _).ToArray(),
            Headers = headers,
        };
    }
}
