namespace OpsDesk.Db.Events;

/// <summary><c>ticket.triage_failed</c>: one failed triage run (its run id is the dedupe key).</summary>
public sealed record TriageFailedEvent(string Reason, string Message, int Attempts, string RunId) : ITicketEvent
{
    public static string Type => EventTypes.TriageFailed;
}
