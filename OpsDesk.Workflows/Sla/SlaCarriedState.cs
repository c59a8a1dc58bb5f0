namespace OpsDesk.Workflows.Sla;

/// <summary>
/// What an <c>SlaWorkflow</c> carries across continue-as-new: the policy it was started with, the
/// clock, the cycle counter of its dedupe keys and the change events it already applied.
/// </summary>
/// <param name="Policy">The SLA rules read at first start.</param>
/// <param name="Priority">The priority the clock runs on (the ticket's, or the default).</param>
/// <param name="PriorityDefaulted">True while the ticket has no priority of its own.</param>
/// <param name="CreatedAt">Ticket creation (UTC).</param>
/// <param name="PausedTotal">Paused time of pauses that have ended.</param>
/// <param name="PausedSince">Start of the ongoing pause, if any.</param>
/// <param name="WarningSent">sla.warning of the resolution (or single) target was written.</param>
/// <param name="Breached">sla.breached of the resolution (or single) target was written.</param>
/// <param name="Cycle">Number of recalculations so far (dedupe key of the next sla.recalculated is cycle + 1).</param>
/// <param name="AppliedThroughEventId">Change events up to this id were already in the state the workflow loaded.</param>
/// <param name="AppliedEventIds">The most recent change event ids applied from signals (bounded).</param>
/// <param name="LastStatusEventId">Newest status change applied; older ones arriving late are stale.</param>
/// <param name="LastPriorityEventId">Newest priority change applied.</param>
/// <param name="FirstResponse">The first-response clock of a two-target workflow; null (absent) for a single-target one,
/// which stays single-target across continue-as-new.</param>
public sealed record SlaCarriedState(
    SlaPolicy Policy,
    string Priority,
    bool PriorityDefaulted,
    DateTime CreatedAt,
    TimeSpan PausedTotal,
    DateTime? PausedSince,
    bool WarningSent,
    bool Breached,
    int Cycle,
    long AppliedThroughEventId,
    IReadOnlyList<long> AppliedEventIds,
    long LastStatusEventId = 0,
    long LastPriorityEventId = 0,
    SlaClock? FirstResponse = null)
{
    /// <summary>
    /// The state a first run starts from: the loaded ticket on its effective priority (the default when it has
    /// none), changes up to the load applied; a first-response clock only when <paramref name="twoTargets"/>.
    /// </summary>
    public static SlaCarriedState Loaded(SlaTicketState loaded, bool twoTargets)
    {
        var policy = loaded.Policy;
        var priority = policy.Effective(loaded.Priority);
        var firstResponse = twoTargets
            ? loaded.FirstResponse ?? new SlaClock(loaded.CreatedAt, policy.FirstResponseTargetFor(priority), policy.WarningFraction)
            : null;
        return new SlaCarriedState(
            policy,
            priority,
            priority != loaded.Priority,
            loaded.CreatedAt,
            loaded.PausedTotal,
            loaded.PausedSince,
            loaded.WarningSent,
            loaded.Breached,
            loaded.Cycle,
            loaded.LastChangeEventId,
            [],
            FirstResponse: firstResponse);
    }
}
