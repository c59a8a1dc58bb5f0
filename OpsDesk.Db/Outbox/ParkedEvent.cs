namespace OpsDesk.Db.Outbox;

/// <summary>An event to park, and why the broker will never take it.</summary>
public sealed record ParkedEvent(long EventId, long TicketId, string Reason);
