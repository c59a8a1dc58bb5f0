namespace OpsDesk.Workflows.Sla;

/// <summary>How an SLA ended: the <c>outcome</c> of <c>sla.completed</c>.</summary>
public static class SlaOutcomes
{
    public const string Met = "met";
    public const string Breached = "breached";
}
