namespace OpsDesk.Workflows.Sla;

/// <summary>
/// Input of <see cref="SlaActivities.RecordEventAsync"/>: one SLA timeline event, the facts its
/// payload carries, and the ticket's SLA columns after it. The workflow decides every value; the
/// activity only writes.
/// </summary>
/// <param name="TicketId">The ticket.</param>
/// <param name="Type">sla.warning, sla.breached, sla.recalculated or sla.completed.</param>
/// <param name="DedupeKey">Unique per ticket and type: a retry writes no second row.</param>
/// <param name="OccurredAt">When the clock decided (workflow time).</param>
/// <param name="Priority">Priority in force.</param>
/// <param name="PriorityDefaulted">True when the ticket has no priority and the default applies.</param>
/// <param name="Target">Length of the target at that priority.</param>
/// <param name="DueAt">The target's deadline in force.</param>
/// <param name="WarningAt">The target's warning time in force.</param>
/// <param name="Elapsed">Clock time used up (paused time excluded).</param>
/// <param name="Paused">Paused time so far.</param>
/// <param name="State">The target's resulting state.</param>
/// <param name="Outcome">For sla.completed: met or breached.</param>
/// <param name="Reason">For sla.recalculated: resumed or priority_changed.</param>
/// <param name="PreviousDueAt">For sla.recalculated: the deadline before.</param>
/// <param name="PreviousPriority">For sla.recalculated after a priority change: the priority before.</param>
/// <param name="CauseEventId">The change event that caused it, if any.</param>
/// <param name="TargetKind">The target the event is about; null for a single-target clock (then <paramref name="DueAt"/>,
/// <paramref name="WarningAt"/> and <paramref name="State"/> are also the ticket's columns).</param>
/// <param name="Columns">The ticket's SLA columns after the event (two-target clocks).</param>
public sealed record SlaEventRequest(
    long TicketId,
    string Type,
    string DedupeKey,
    DateTime OccurredAt,
    string Priority,
    bool PriorityDefaulted,
    TimeSpan Target,
    DateTime DueAt,
    DateTime WarningAt,
    TimeSpan Elapsed,
    TimeSpan Paused,
    string State,
    string? Outcome = null,
    string? Reason = null,
    DateTime? PreviousDueAt = null,
    string? PreviousPriority = null,
    long? CauseEventId = null,
    Db.Sla.SlaTarget? TargetKind = null,
    Db.Sla.SlaColumns? Columns = null)
{
    /// <summary>The columns to write: <see cref="Columns"/>, or the single target's.</summary>
    public Db.Sla.SlaColumns ColumnsToWrite() => Columns ?? Db.Sla.SlaColumns.SingleTarget(new(DueAt, WarningAt, State));
}
