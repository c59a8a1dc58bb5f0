namespace OpsDesk.Workflows.Sla;

/// <summary>
/// What the load activity hands the workflow at first start: the policy from configuration and the
/// ticket as the database has it, with pauses and milestones rebuilt from its timeline.
/// </summary>
/// <param name="Policy">The SLA rules from configuration.</param>
/// <param name="CreatedAt">Ticket creation (UTC).</param>
/// <param name="Priority">The ticket's priority, null when it has none.</param>
/// <param name="Status">Current status.</param>
/// <param name="PausedTotal">Time spent pending in pauses that ended before the load.</param>
/// <param name="PausedSince">Start of the pause in progress (ticket pending), if any.</param>
/// <param name="ClosedAt">When the ticket was resolved or closed, if it is.</param>
/// <param name="WarningSent">An sla.warning of the resolution (or single) target already exists.</param>
/// <param name="Breached">An sla.breached of the resolution (or single) target already exists.</param>
/// <param name="AlreadyCompleted">An sla.completed of the resolution (or single) target already exists: nothing is left to do.</param>
/// <param name="Cycle">Number of sla.recalculated events already written.</param>
/// <param name="LastChangeEventId">Change events up to this id are reflected in this state.</param>
/// <param name="FirstResponse">The first-response clock (completed if the ticket was answered or resolved); absent in loads recorded by single-target clocks.</param>
public sealed record SlaTicketState(
    SlaPolicy Policy,
    DateTime CreatedAt,
    string? Priority,
    string Status,
    TimeSpan PausedTotal,
    DateTime? PausedSince,
    DateTime? ClosedAt,
    bool WarningSent,
    bool Breached,
    bool AlreadyCompleted,
    int Cycle,
    long LastChangeEventId,
    SlaClock? FirstResponse = null);
