using System.Diagnostics;
using Confluent.Kafka;
using OpsDesk.Db.Outbox;
using OpsDesk.Workflows.Telemetry;

namespace OpsDesk.Worker.Outbox;

/// <summary>
/// The relay's span for one event's publish: a child of the span that wrote the event (its stored
/// traceparent), so the Kafka publish joins the ticket's trace; it ends with the delivery report.
/// </summary>
internal static class PublishSpan
{
    /// <summary>Starts the span without making it the current one: the relay produces a whole batch on one thread.</summary>
    public static Activity? Start(OutboxEvent e, string topic)
    {
        var outer = Activity.Current;
        var span = OpsDeskTelemetry.Source.StartActivity(topic + " publish", ActivityKind.Producer, OpsDeskTelemetry.ParentFrom(e.TraceParent));
        if (span is null)
            return null;
        Activity.Current = outer;
        span.SetTag("messaging.system", "kafka");
        span.SetTag("messaging.operation.type", "send");
        span.SetTag("messaging.destination.name", topic);
        span.SetTag("messaging.message.id", e.Id);
        span.SetTag("cloudevents.event_id", e.Id);
        span.SetTag("cloudevents.event_type", e.Type);
        span.SetTag(OpsDeskTelemetry.TicketIdTag, e.TicketId);
        return span;
    }

    public static void End(Activity? span, Error result)
    {
        if (span is null)
            return;
        if (result.IsError)
            span.SetStatus(ActivityStatusCode.Error, $"{result.Code}: {result.Reason}");
        span.Dispose();
    }
}
