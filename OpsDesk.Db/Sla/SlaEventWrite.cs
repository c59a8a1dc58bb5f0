namespace OpsDesk.Db.Sla;

/// <summary>
/// One SLA timeline event and the ticket's SLA columns it leaves behind. The event is
/// unique by (ticket, type, dedupe key); <see cref="OccurredAt"/> is the moment the clock decided,
/// not when the write happened to run.
/// </summary>
public sealed record SlaEventWrite(
    long TicketId,
    string Type,
    string DedupeKey,
    DateTime OccurredAt,
    string PayloadJson,
    DateTime? DueAt,
    DateTime? WarningAt,
    string State);
