using OpsDesk.Db.Sla;

namespace OpsDesk.Workflows.Sla;

/// <summary>
/// The clocks of one ticket, pure and immutable like <see cref="SlaClock"/>: the resolution clock and, in a
/// two-target workflow, the first-response clock. It decides which target is due (the first response is
/// looked at first), when to look next, and what the ticket's SLA columns say. A single-target workflow (started
/// before the patch) has no first-response clock: its one clock is <see cref="Resolution"/> and its target is
/// named null everywhere.
/// </summary>
/// <param name="Resolution">Runs until resolved or closed, paused while pending (or the single target).</param>
/// <param name="FirstResponse">Runs until the first public agent reply or resolving; never paused. Null: single target.</param>
public sealed record SlaClocks(SlaClock Resolution, SlaClock? FirstResponse = null)
{
    private static readonly SlaTarget?[] Single = [null];
    private static readonly SlaTarget?[] Both = [SlaTarget.FirstResponse, SlaTarget.Resolution];

    /// <summary>The targets in the order they are looked at; null stands for the single target.</summary>
    public IReadOnlyList<SlaTarget?> Targets => FirstResponse is null ? Single : Both;

    /// <summary>The ticket's clocks are done: resolved or closed.</summary>
    public bool Completed => Resolution.Completed;

    public SlaClock Of(SlaTarget? target) =>
        target == SlaTarget.FirstResponse ? FirstResponse ?? throw new InvalidOperationException("A single-target clock has no first response.") : Resolution;

    public SlaClocks With(SlaTarget? target, SlaClock clock) =>
        target == SlaTarget.FirstResponse ? this with { FirstResponse = clock } : this with { Resolution = clock };

    /// <summary>What is due now and for which target: the first target (first response first) with a warning or breach due.</summary>
    public (SlaTarget? Target, SlaDecision Decision) Decide(DateTime now)
    {
        foreach (var target in Targets)
        {
            var decision = Of(target).Decide(now);
            if (decision != SlaDecision.None)
                return (target, decision);
        }

        return (null, SlaDecision.None);
    }

    /// <summary>The earliest moment a clock must be looked at and whose it is, or null when nothing can fall due.</summary>
    public (DateTime At, SlaTarget? Target)? NextCheck()
    {
        (DateTime At, SlaTarget? Target)? next = null;
        foreach (var target in Targets)
        {
            if (Of(target).NextCheckAt is { } at && (next is null || at < next.Value.At))
                next = (at, target);
        }

        return next;
    }

    /// <summary>The first response is still running: a reply or resolving would meet (or complete) it.</summary>
    public bool AwaitsFirstResponse => FirstResponse is { Completed: false };

    /// <summary>A new priority: both targets take its lengths (a completed first response keeps its own).</summary>
    public SlaClocks WithTargets(SlaPolicy policy, string priority) => this with
    {
        Resolution = Resolution.WithTarget(policy.TargetFor(priority)),
        FirstResponse = AwaitsFirstResponse ? FirstResponse!.WithTarget(policy.FirstResponseTargetFor(priority)) : FirstResponse,
    };

    /// <summary>
    /// The ticket's SLA columns: each clock's, and as the summary the most urgent target still running
    /// (breached, then warned, then running, then paused; the earlier deadline on a tie), or the resolution's
    /// once everything completed. A single target is its own summary.
    /// </summary>
    public SlaColumns Columns()
    {
        var resolution = ColumnsOf(Resolution);
        if (FirstResponse is null)
            return SlaColumns.SingleTarget(resolution);
        var first = ColumnsOf(FirstResponse);
        var summary = new[] { first, resolution }
            .Where(t => t.State != SlaStates.Completed)
            .OrderByDescending(t => Urgency(t.State))
            .ThenBy(t => t.DueAt)
            .FirstOrDefault() ?? resolution;
        return new SlaColumns(summary, first, resolution);
    }

    private static SlaTargetColumns ColumnsOf(SlaClock c) => new(c.DueAt, c.WarningAt, c.State);

    private static int Urgency(string state) => state switch
    {
        SlaStates.Breached => 3,
        SlaStates.Warned => 2,
        SlaStates.Running => 1,
        _ => 0,
    };
}
