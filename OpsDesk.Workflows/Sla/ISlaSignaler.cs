namespace OpsDesk.Workflows.Sla;

/// <summary>Delivers an agent's change to the ticket's SLA workflow.</summary>
public interface ISlaSignaler
{
    /// <summary>
    /// Signals <c>sla-{ticketId}</c>. Returns <see cref="SlaSignalResult.NoWorkflow"/> when there is no
    /// running workflow (not started yet, or completed); throws when Temporal cannot be reached.
    /// </summary>
    Task<SlaSignalResult> SignalAsync(long ticketId, SlaChange change, CancellationToken ct);
}
