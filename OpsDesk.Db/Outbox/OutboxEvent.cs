namespace OpsDesk.Db.Outbox;

/// <summary>
/// An unpublished timeline row as the relay reads it. <see cref="Payload"/> is raw JSON text;
/// <see cref="TraceParent"/> the W3C traceparent of the span that wrote it (null when tracing was off).
/// </summary>
public sealed record OutboxEvent(long Id, long TicketId, string Type, string Payload, DateTime OccurredAt, string? TraceParent = null);
