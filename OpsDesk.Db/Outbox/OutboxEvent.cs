namespace OpsDesk.Db.Outbox;

/// <summary>An unpublished timeline row as the relay reads it. <see cref="Payload"/> is raw JSON text.</summary>
public sealed record OutboxEvent(long Id, long TicketId, string Type, string Payload, DateTime OccurredAt);
