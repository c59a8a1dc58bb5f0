namespace OpsDesk.Db.Outbox;

/// <summary>One row of <c>outbox_parked</c> with its event's type and the events waiting behind it.</summary>
public sealed record ParkedEventRow(
    long EventId, long TicketId, string Type, string State, string Reason, int TimesParked, DateTime ParkedAt,
    DateTime? ResolvedAt, string? ResolvedBy, DateTime? PublishedAt, long Held);
