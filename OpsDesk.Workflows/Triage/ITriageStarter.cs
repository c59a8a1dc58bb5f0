namespace OpsDesk.Workflows.Triage;

/// <summary>Starts the triage workflow of a committed ticket.</summary>
public interface ITriageStarter
{
    /// <summary>
    /// Asks Temporal to start <c>triage-{ticketId}</c>, bounded in time. Returns false (never
    /// throws) when Temporal could not be reached: the ticket stays queued and the reconciler
    /// starts it later.
    /// </summary>
    Task<bool> TryStartAsync(long ticketId, string source, CancellationToken ct);
}
