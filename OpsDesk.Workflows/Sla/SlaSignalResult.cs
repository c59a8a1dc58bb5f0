namespace OpsDesk.Workflows.Sla;

/// <summary>What became of a signal to an SLA workflow.</summary>
public enum SlaSignalResult
{
    Delivered,

    /// <summary>No running <c>sla-{id}</c>: it has not started (it will read the current state when it does) or has completed.</summary>
    NoWorkflow,
}
