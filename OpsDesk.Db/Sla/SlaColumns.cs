namespace OpsDesk.Db.Sla;

/// <summary>
/// The SLA columns of a ticket: per target, and the summary (<c>sla_due_at</c>, <c>sla_warning_at</c>,
/// <c>sla_state</c>: the nearest deadline still running and the worst state over the targets).
/// <see cref="FirstResponse"/> is null for a single-target clock (started before there were two);
/// its one target is then both the summary and the resolution.
/// </summary>
public sealed record SlaColumns(SlaTargetColumns Summary, SlaTargetColumns? FirstResponse, SlaTargetColumns Resolution)
{
    /// <summary>The columns of a single-target clock.</summary>
    public static SlaColumns SingleTarget(SlaTargetColumns target) => new(target, null, target);
}
