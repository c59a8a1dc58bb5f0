using Microsoft.Extensions.Logging;
using OpsDesk.Db;
using OpsDesk.Db.Events;
using OpsDesk.Db.Sla;
using OpsDesk.Db.Tickets;
using Temporalio.Common;
using Temporalio.Workflows;

namespace OpsDesk.Workflows.Sla;

/// <summary>
/// The SLA clocks of one ticket (id <c>sla-{ticketId}</c>): first response and resolution. It reads the
/// ticket once, then sleeps on durable timers until the next warning time or deadline, writing
/// <c>sla.warning</c> and <c>sla.breached</c> for that target at that moment; agents' changes arrive as
/// <see cref="ApplyChangeAsync"/> signals (the first public agent reply meets the first response, pending
/// pauses the resolution clock, open resumes it, a new priority moves both deadlines, resolved or closed ends
/// both with <c>sla.completed</c>). All decisions are <see cref="SlaClock"/>'s; every write is an idempotent
/// activity. Continues as new after many changes, carrying <see cref="SlaCarriedState"/>.
/// <para>
/// Workflows started before the patch <see cref="TwoTargetsPatch"/> have one clock (the single target of
/// before #16): they keep it, with the same commands, across continue-as-new, until they complete.
/// </para>
/// </summary>
[Workflow(Name)]
public sealed class SlaWorkflow
{
    /// <summary>The workflow type name (what histories and the UI show).</summary>
    public const string Name = "SlaWorkflow";

    /// <summary>How many applied change ids the workflow remembers (and carries) to drop redeliveries.</summary>
    public const int AppliedIdsKept = 64;

    /// <summary>The patch that gave the workflow its second target; new runs take it, running single-target ones never do.</summary>
    public const string TwoTargetsPatch = "sla-two-targets";

    private static readonly ActivityOptions DbActivity = new()
    {
        StartToCloseTimeout = TimeSpan.FromSeconds(30),
        // The database may be down for a while; an SLA event must still land, so retry without a
        // limit (backing off to a minute). Only a missing ticket is permanent.
        RetryPolicy = new RetryPolicy
        {
            InitialInterval = TimeSpan.FromSeconds(1),
            BackoffCoefficient = 2,
            MaximumInterval = TimeSpan.FromMinutes(1),
            MaximumAttempts = 0,
            NonRetryableErrorTypes = [TicketNotFound.ErrorType],
        },
    };

    private readonly Queue<SlaChange> inbox = new();
    private readonly Queue<long> appliedIds = new();
    private long ticketId;
    private SlaPolicy policy = SlaPolicy.Default;
    private string priority = "";
    private bool priorityDefaulted;
    private SlaClocks? clocks;
    private int cycle;
    private long appliedThrough;
    private long lastStatusEventId;
    private long lastPriorityEventId;
    private int changesThisRun;

    [WorkflowRun]
    public async Task<SlaOutcome> RunAsync(SlaInput input)
    {
        ticketId = input.TicketId;
        if (input.State is { } carried)
        {
            // A carried state keeps the shape of the run that carried it (a first-response clock or none).
            Restore(carried);
        }
        else
        {
            var twoTargets = Workflow.Patched(TwoTargetsPatch);
            var loaded = await Workflow.ExecuteActivityAsync(
                (SlaActivities a) => a.LoadTicketAsync(ticketId),
                With(DbActivity, $"Load ticket #{ticketId} and SLA policy"));
            var result = await StartFromAsync(loaded, twoTargets);
            if (result is not null)
                return result;
        }

        while (true)
        {
            while (inbox.TryDequeue(out var change))
            {
                if (await ApplyAsync(change) is { } outcome)
                    return outcome;
            }

            var now = Workflow.UtcNow;
            var (target, decision) = Clocks.Decide(now);
            switch (decision)
            {
                case SlaDecision.Breach:
                    clocks = Clocks.With(target, Clocks.Of(target).MarkBreached());
                    await RecordAsync(target, EventTypes.SlaBreached, "breached", now);
                    continue;
                case SlaDecision.Warn:
                    clocks = Clocks.With(target, Clocks.Of(target).MarkWarned());
                    await RecordAsync(target, EventTypes.SlaWarning, "warning", now);
                    continue;
                default:
                    break;
            }

            if (ShouldContinueAsNew)
                throw Workflow.CreateContinueAsNewException((SlaWorkflow wf) => wf.RunAsync(new SlaInput(ticketId, Carry())));

            if (Clocks.NextCheck() is { } check)
            {
                var (next, nextTarget) = check;
                var type = Clocks.Of(nextTarget).WarningSent ? EventTypes.SlaBreached : EventTypes.SlaWarning;
                await Workflow.WaitConditionWithOptionsAsync(new WaitConditionOptions(
                    () => inbox.Count > 0, CeilingToMilliseconds(next - now), $"{Named(type, nextTarget)} at {next:u}"));
            }
            else
            {
                await Workflow.WaitConditionAsync(() => inbox.Count > 0);
            }
        }
    }

    /// <summary>An agent's change, from the timeline. Queued here, applied in order by the run loop.</summary>
    [WorkflowSignal("ApplyChange")]
    public Task ApplyChangeAsync(SlaChange change)
    {
        inbox.Enqueue(change);
        return Task.CompletedTask;
    }

    /// <summary>The clocks as they stand: priority, the summary's deadline, warning time and state, paused, both targets' columns.</summary>
    [WorkflowQuery("Status")]
    public SlaStatus Status()
    {
        if (clocks is null)
            return new SlaStatus(null, null, null, false, "starting");
        var columns = clocks.Columns();
        var summary = columns.Summary;
        return new SlaStatus(priority, summary.DueAt, summary.WarningAt, clocks.Resolution.IsPaused, summary.State, clocks.FirstResponse is null ? null : columns);
    }

    private SlaClocks Clocks => clocks ?? throw new InvalidOperationException("The SLA clock is not started.");

    /// <summary>The resolution clock (a single-target workflow's one clock).</summary>
    private SlaClock Clock => Clocks.Resolution;

    private bool ShouldContinueAsNew =>
        inbox.Count == 0 && (changesThisRun >= policy.ContinueAsNewAfterChanges || Workflow.ContinueAsNewSuggested);

    private async Task<SlaOutcome?> StartFromAsync(SlaTicketState loaded, bool twoTargets)
    {
        // One way to set the workflow up: the loaded state is turned into the state a run carries.
        Restore(SlaCarriedState.Loaded(loaded, twoTargets));
        var firstResponse = Clocks.FirstResponse;

        if (loaded.AlreadyCompleted)
        {
            // A clock for this ticket already finished (the workflow ran before and was reset or restarted).
            var end = loaded.ClosedAt ?? Workflow.UtcNow;
            clocks = Clocks with { Resolution = Clock.Complete(end) };
            Workflow.Logger.LogInformation("SLA of ticket {TicketId} was already completed", ticketId);
            return new SlaOutcome(ticketId, Clock.OutcomeAt(end), priority, Clock.DueAt, end, Clock.PausedAt(end), firstResponse?.OutcomeAt(end));
        }

        var answered = firstResponse is { Completed: true, PausedSince: { } answeredAt }
            ? await RecordFirstResponseAnsweredAsync(answeredAt)
            : false;

        if (loaded.ClosedAt is { } closedAt)
            return await CompleteAsync(closedAt, null);

        if (!answered)
            await SaveStateAsync();
        return null;
    }

    /// <summary>Answered (or resolved) before the clock started: the first response's completion is written now (once: its dedupe key). Also sets the columns.</summary>
    private async Task<bool> RecordFirstResponseAnsweredAsync(DateTime answeredAt)
    {
        await RecordAsync(SlaTarget.FirstResponse, EventTypes.SlaCompleted, "completed", answeredAt, outcome: Clocks.FirstResponse!.OutcomeAt(answeredAt));
        return true;
    }

    private async Task<SlaOutcome?> ApplyAsync(SlaChange change)
    {
        var isReply = change.Kind == SlaChangeKinds.Reply;
        if (isReply && Clocks.FirstResponse is null)
        {
            // A single-target clock has no first response to meet.
            Workflow.Logger.LogInformation("SLA of ticket {TicketId} ignores reply {EventId}: single-target clock", ticketId, change.EventId);
            return null;
        }

        if (change.EventId <= appliedThrough || appliedIds.Contains(change.EventId))
        {
            Workflow.Logger.LogInformation("SLA of ticket {TicketId} ignores change {EventId}: already applied", ticketId, change.EventId);
            return null;
        }

        // Each change sets a value, so the newest of a kind wins: a change that arrives after a
        // newer one of its kind (two dispatchers racing) is stale, not news. Only the first reply counts.
        var isStatus = change.Kind == SlaChangeKinds.Status;
        if (!isReply && change.EventId <= (isStatus ? lastStatusEventId : lastPriorityEventId))
        {
            Workflow.Logger.LogInformation("SLA of ticket {TicketId} ignores change {EventId}: a newer {Kind} change was applied", ticketId, change.EventId, change.Kind);
            return null;
        }

        if (isStatus)
            lastStatusEventId = change.EventId;
        else if (!isReply)
            lastPriorityEventId = change.EventId;

        appliedIds.Enqueue(change.EventId);
        while (appliedIds.Count > AppliedIdsKept)
            appliedIds.Dequeue();
        changesThisRun++;

        var now = Workflow.UtcNow;
        switch (change.Kind, change.Value)
        {
            case (SlaChangeKinds.Status, TicketStatuses.Pending):
                // Pending pauses the resolution clock only: the first response keeps running.
                if (!Clock.IsPaused)
                {
                    clocks = Clocks with { Resolution = Clock.Pause(now) };
                    await SaveStateAsync();
                }

                return null;
            case (SlaChangeKinds.Status, TicketStatuses.Open):
                if (Clock.IsPaused)
                {
                    var before = Clock.DueAt;
                    clocks = Clocks with { Resolution = Clock.Resume(now) };
                    await RecalculatedAsync("resumed", before, null, change.EventId, now);
                }

                return null;
            case (SlaChangeKinds.Status, TicketStatuses.Resolved or TicketStatuses.Closed):
                return await CompleteAsync(now, change.EventId);
            case (SlaChangeKinds.Reply, _):
                if (Clocks.AwaitsFirstResponse)
                    await CompleteFirstResponseAsync(now, change.EventId);
                return null;
            case (SlaChangeKinds.Priority, var value) when Priorities.IsValid(value) && value != priority:
                {
                    var before = Clocks;
                    var previous = priority;
                    priority = value;
                    priorityDefaulted = false;
                    clocks = Clocks.WithTargets(policy, value);
                    if (Clocks.FirstResponse is null)
                    {
                        await RecalculatedAsync("priority_changed", before.Resolution.DueAt, previous, change.EventId, now);
                        return null;
                    }

                    // Both targets move, each with its own event under one cycle number.
                    cycle++;
                    if (before.AwaitsFirstResponse)
                        await RecordRecalculatedAsync(SlaTarget.FirstResponse, "priority_changed", before.FirstResponse!.DueAt, previous, change.EventId, now);
                    await RecordRecalculatedAsync(SlaTarget.Resolution, "priority_changed", before.Resolution.DueAt, previous, change.EventId, now);
                    return null;
                }

            case (SlaChangeKinds.Priority, var value) when value == priority:
                priorityDefaulted = false;
                return null;
            default:
                Workflow.Logger.LogWarning("SLA of ticket {TicketId} ignores change {EventId}: {Kind}={Value} is not understood", ticketId, change.EventId, change.Kind, change.Value);
                return null;
        }
    }

    /// <summary>The resolution target of a two-target clock, or null (the single target).</summary>
    private SlaTarget? ResolutionTarget => Clocks.FirstResponse is null ? null : SlaTarget.Resolution;

    /// <summary>Writes sla.recalculated of the resolution (or single) target when its deadline moved; otherwise only refreshes the columns.</summary>
    private async Task RecalculatedAsync(string reason, DateTime previousDue, string? previousPriority, long cause, DateTime now)
    {
        if (Clock.DueAt == previousDue && previousPriority is null)
        {
            await SaveStateAsync();
            return;
        }

        cycle++;
        await RecordRecalculatedAsync(ResolutionTarget, reason, previousDue, previousPriority, cause, now);
    }

    private Task<long> RecordRecalculatedAsync(SlaTarget? target, string reason, DateTime previousDue, string? previousPriority, long cause, DateTime now) =>
        RecordAsync(
            target,
            EventTypes.SlaRecalculated,
            "recalculated:" + cycle.ToString(System.Globalization.CultureInfo.InvariantCulture),
            now,
            reason: reason,
            previousDue: previousDue,
            previousPriority: previousPriority,
            cause: cause);

    /// <summary>The first response is over (a reply, or resolving): met, or breached if its deadline had passed.</summary>
    private Task<long> CompleteFirstResponseAsync(DateTime at, long? cause)
    {
        var outcome = Clocks.FirstResponse!.OutcomeAt(at);
        clocks = Clocks with { FirstResponse = Clocks.FirstResponse.Complete(at) };
        return RecordAsync(SlaTarget.FirstResponse, EventTypes.SlaCompleted, "completed", at, outcome: outcome, cause: cause);
    }

    /// <summary>Ends the clocks: a first response still running is met by resolving (its sla.completed first), then the resolution.</summary>
    private async Task<SlaOutcome> CompleteAsync(DateTime at, long? cause)
    {
        if (Clocks.AwaitsFirstResponse)
            await CompleteFirstResponseAsync(at, cause);

        var outcome = Clock.OutcomeAt(at);
        clocks = Clocks with { Resolution = Clock.Complete(at) };
        await RecordAsync(ResolutionTarget, EventTypes.SlaCompleted, "completed", at, outcome: outcome, cause: cause);
        return new SlaOutcome(ticketId, outcome, priority, Clock.DueAt, at, Clock.PausedAt(at), Clocks.FirstResponse?.OutcomeAt(at));
    }

    private Task<long> RecordAsync(
        SlaTarget? target,
        string type,
        string dedupeKey,
        DateTime at,
        string? outcome = null,
        string? reason = null,
        DateTime? previousDue = null,
        string? previousPriority = null,
        long? cause = null)
    {
        var c = Clocks.Of(target);
        var request = new SlaEventRequest(
            ticketId,
            type,
            SlaDedupeKeys.For(dedupeKey, target),
            at,
            priority,
            priorityDefaulted,
            c.Target,
            c.DueAt,
            c.WarningAt,
            c.ElapsedAt(at),
            c.PausedAt(at),
            c.State,
            outcome,
            reason,
            previousDue,
            previousPriority,
            cause,
            target,
            target is null ? null : Clocks.Columns());
        var summary = outcome is null
            ? $"{Named(type, target)} for ticket #{ticketId} ({priority}, due {c.DueAt:u})"
            : $"{Named(type, target)} for ticket #{ticketId}: {outcome} ({priority}, due {c.DueAt:u})";
        return Workflow.ExecuteActivityAsync((SlaActivities a) => a.RecordEventAsync(request), With(DbActivity, summary));
    }

    private Task SaveStateAsync()
    {
        var columns = Clocks.Columns();
        var s = columns.Summary;
        var request = new SlaStateRequest(ticketId, s.DueAt, s.WarningAt, s.State, Clocks.FirstResponse is null ? null : columns);
        return Workflow.ExecuteActivityAsync(
            (SlaActivities a) => a.SaveStateAsync(request),
            With(DbActivity, $"SLA of ticket #{ticketId}: {s.State} ({priority}, due {s.DueAt:u})"));
    }

    private SlaCarriedState Carry() => new(
        policy,
        priority,
        priorityDefaulted,
        Clock.CreatedAt,
        Clock.PausedTotal,
        Clock.PausedSince,
        Clock.WarningSent,
        Clock.Breached,
        cycle,
        appliedThrough,
        appliedIds.ToList(),
        lastStatusEventId,
        lastPriorityEventId,
        Clocks.FirstResponse);

    private void Restore(SlaCarriedState s)
    {
        policy = s.Policy;
        priority = s.Priority;
        priorityDefaulted = s.PriorityDefaulted;
        cycle = s.Cycle;
        appliedThrough = s.AppliedThroughEventId;
        lastStatusEventId = s.LastStatusEventId;
        lastPriorityEventId = s.LastPriorityEventId;
        foreach (var id in s.AppliedEventIds.TakeLast(AppliedIdsKept))
            appliedIds.Enqueue(id);
        clocks = new SlaClocks(
            new SlaClock(s.CreatedAt, policy.TargetFor(priority), policy.WarningFraction, s.PausedTotal, s.PausedSince, s.WarningSent, s.Breached),
            s.FirstResponse);
    }

    /// <summary>An event type as summaries show it: with its target when there are two.</summary>
    private static string Named(string type, SlaTarget? target) => target is { } t ? $"{type} ({WireNames.Of(t)})" : type;

    private static ActivityOptions With(ActivityOptions options, string summary)
    {
        var copy = (ActivityOptions)options.Clone();
        copy.Summary = summary;
        return copy;
    }

    /// <summary>Timers are whole milliseconds; rounding up means a timer never fires before its moment.</summary>
    private static TimeSpan CeilingToMilliseconds(TimeSpan span)
    {
        var ms = (long)Math.Ceiling(span.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(Math.Max(1, ms));
    }
}
