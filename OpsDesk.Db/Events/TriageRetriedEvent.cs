namespace OpsDesk.Db.Events;

/// <summary><c>ticket.triage_retried</c>: an operator asked for a new triage run (<c>opsdesk triage retry</c>).</summary>
/// <param name="PreviousRunId">The run being retried; null when there was none.</param>
public sealed record TriageRetriedEvent(string? PreviousRunId, string RequestedBy, string Reason) : ITicketEvent
{
    public static string Type => EventTypes.TriageRetried;
}
