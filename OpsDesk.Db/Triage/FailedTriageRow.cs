namespace OpsDesk.Db.Triage;

/// <summary>
/// A ticket with its latest <c>ticket.triage_failed</c> event, if any. Reason, message, attempts and
/// run id come from that event; <see cref="FailedAt"/> is its time, or the ticket's last update without one.
/// </summary>
public sealed class FailedTriageRow
{
    public long TicketId { get; init; }
    public string Subject { get; init; } = "";
    public string Source { get; init; } = "";
    public string TriageStatus { get; init; } = "";
    public string? Reason { get; init; }
    public string? Message { get; init; }
    public int? Attempts { get; init; }
    public string? RunId { get; init; }
    public long? FailedEventId { get; init; }
    public DateTime FailedAt { get; init; }
}
