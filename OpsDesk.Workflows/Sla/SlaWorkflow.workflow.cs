using Microsoft.Extensions.Logging;
using OpsDesk.Db.Events;
using OpsDesk.Db.Sla;
using OpsDesk.Db.Tickets;
using Temporalio.Common;
using Temporalio.Workflows;

namespace OpsDesk.Workflows.Sla;

/// <summary>
/// The SLA clock of one ticket (id <c>sla-{ticketId}</c>). It reads the ticket once, then sleeps on
/// durable timers until the warning time or the deadline, writing <c>sla.warning</c> and
/// <c>sla.breached</c> at that moment; agents' changes arrive as <see cref="ApplyChangeAsync"/>
/// signals (pending pauses, open resumes, a new priority moves the deadline, resolved or closed
/// ends it with <c>sla.completed</c>). All decisions are <see cref="SlaClock"/>'s; every write is an
/// idempotent activity. Continues as new after many changes, carrying <see cref="SlaCarriedState"/>.
/// </summary>
[Workflow(Name)]
public sealed class SlaWorkflow
{
    /// <summary>The workflow type name (what histories and the UI show).</summary>
    public const string Name = "SlaWorkflow";

    /// <summary>How many applied change ids the workflow remembers (and carries) to drop redeliveries.</summary>
    public const int AppliedIdsKept = 64;

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
    private SlaClock? clock;
    private int cycle;
    private long appliedThrough;
    private long lastStatusEventId;
    private long lastPriorityEventId;
    private int changesThisRun;
    private bool completed;

    [WorkflowRun]
    public async Task<SlaOutcome> RunAsync(SlaInput input)
    {
        ticketId = input.TicketId;
        if (input.State is { } carried)
        {
            Restore(carried);
        }
        else
        {
            var loaded = await Workflow.ExecuteActivityAsync(
                (SlaActivities a) => a.LoadTicketAsync(ticketId),
                With(DbActivity, $"Load ticket #{ticketId} and SLA policy"));
            var result = await StartFromAsync(loaded);
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
            switch (Clock.Decide(now))
            {
                case SlaDecision.Breach:
                    clock = Clock.MarkBreached();
                    await RecordAsync(EventTypes.SlaBreached, "breached", now);
                    continue;
                case SlaDecision.Warn:
                    clock = Clock.MarkWarned();
                    await RecordAsync(EventTypes.SlaWarning, "warning", now);
                    continue;
                default:
                    break;
            }

            if (ShouldContinueAsNew)
                throw Workflow.CreateContinueAsNewException((SlaWorkflow wf) => wf.RunAsync(new SlaInput(ticketId, Carry())));

            if (Clock.NextCheckAt is { } next)
            {
                var type = Clock.WarningSent ? EventTypes.SlaBreached : EventTypes.SlaWarning;
                await Workflow.WaitConditionWithOptionsAsync(new WaitConditionOptions(
                    () => inbox.Count > 0, CeilingToMilliseconds(next - now), $"{type} at {next:u}"));
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

    /// <summary>The clock as it stands: priority, deadline, warning time, paused, state.</summary>
    [WorkflowQuery("Status")]
    public SlaStatus Status() => clock is null
        ? new SlaStatus(null, null, null, false, "starting")
        : new SlaStatus(priority, clock.DueAt, clock.WarningAt, clock.IsPaused, completed ? SlaStates.Completed : clock.State);

    private SlaClock Clock => clock ?? throw new InvalidOperationException("The SLA clock is not started.");

    private bool ShouldContinueAsNew =>
        inbox.Count == 0 && (changesThisRun >= policy.ContinueAsNewAfterChanges || Workflow.ContinueAsNewSuggested);

    private async Task<SlaOutcome?> StartFromAsync(SlaTicketState loaded)
    {
        policy = loaded.Policy;
        priority = policy.Effective(loaded.Priority);
        priorityDefaulted = priority != loaded.Priority;
        cycle = loaded.Cycle;
        appliedThrough = loaded.LastChangeEventId;
        clock = new SlaClock(loaded.CreatedAt, policy.TargetFor(priority), policy.WarningFraction, loaded.PausedTotal, loaded.PausedSince, loaded.WarningSent, loaded.Breached);

        if (loaded.AlreadyCompleted)
        {
            // A clock for this ticket already finished (the workflow ran before and was reset or restarted).
            completed = true;
            Workflow.Logger.LogInformation("SLA of ticket {TicketId} was already completed", ticketId);
            var end = loaded.ClosedAt ?? Workflow.UtcNow;
            return new SlaOutcome(ticketId, clock.OutcomeAt(end), priority, clock.DueAt, end, clock.PausedAt(end));
        }

        if (loaded.ClosedAt is { } closedAt)
            return await CompleteAsync(closedAt, null);

        await SaveStateAsync();
        return null;
    }

    private async Task<SlaOutcome?> ApplyAsync(SlaChange change)
    {
        if (change.EventId <= appliedThrough || appliedIds.Contains(change.EventId))
        {
            Workflow.Logger.LogInformation("SLA of ticket {TicketId} ignores change {EventId}: already applied", ticketId, change.EventId);
            return null;
        }

        // Each change sets a value, so the newest of a kind wins: a change that arrives after a
        // newer one of its kind (two dispatchers racing) is stale, not news.
        var isStatus = change.Kind == SlaChangeKinds.Status;
        if (change.EventId <= (isStatus ? lastStatusEventId : lastPriorityEventId))
        {
            Workflow.Logger.LogInformation("SLA of ticket {TicketId} ignores change {EventId}: a newer {Kind} change was applied", ticketId, change.EventId, change.Kind);
            return null;
        }

        if (isStatus)
            lastStatusEventId = change.EventId;
        else
            lastPriorityEventId = change.EventId;

        appliedIds.Enqueue(change.EventId);
        while (appliedIds.Count > AppliedIdsKept)
            appliedIds.Dequeue();
        changesThisRun++;

        var now = Workflow.UtcNow;
        switch (change.Kind, change.Value)
        {
            case (SlaChangeKinds.Status, TicketStatuses.Pending):
                if (!Clock.IsPaused)
                {
                    clock = Clock.Pause(now);
                    await SaveStateAsync();
                }

                return null;
            case (SlaChangeKinds.Status, TicketStatuses.Open):
                if (Clock.IsPaused)
                {
                    var before = Clock.DueAt;
                    clock = Clock.Resume(now);
                    await RecalculatedAsync("resumed", before, null, change.EventId, now);
                }

                return null;
            case (SlaChangeKinds.Status, TicketStatuses.Resolved or TicketStatuses.Closed):
                return await CompleteAsync(now, change.EventId);
            case (SlaChangeKinds.Priority, var value) when Priorities.IsValid(value) && value != priority:
                {
                    var before = Clock.DueAt;
                    var previous = priority;
                    priority = value;
                    priorityDefaulted = false;
                    clock = Clock.WithTarget(policy.TargetFor(value));
                    await RecalculatedAsync("priority_changed", before, previous, change.EventId, now);
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

    /// <summary>Writes sla.recalculated when the deadline moved; otherwise only refreshes the columns.</summary>
    private async Task RecalculatedAsync(string reason, DateTime previousDue, string? previousPriority, long cause, DateTime now)
    {
        if (Clock.DueAt == previousDue && previousPriority is null)
        {
            await SaveStateAsync();
            return;
        }

        cycle++;
        await RecordAsync(
            EventTypes.SlaRecalculated,
            "recalculated:" + cycle.ToString(System.Globalization.CultureInfo.InvariantCulture),
            now,
            reason: reason,
            previousDue: previousDue,
            previousPriority: previousPriority,
            cause: cause);
    }

    private async Task<SlaOutcome> CompleteAsync(DateTime at, long? cause)
    {
        var outcome = Clock.OutcomeAt(at);
        completed = true;
        await RecordAsync(EventTypes.SlaCompleted, "completed", at, outcome: outcome, cause: cause);
        return new SlaOutcome(ticketId, outcome, priority, Clock.DueAt, at, Clock.PausedAt(at));
    }

    private Task<long> RecordAsync(
        string type,
        string dedupeKey,
        DateTime at,
        string? outcome = null,
        string? reason = null,
        DateTime? previousDue = null,
        string? previousPriority = null,
        long? cause = null)
    {
        var c = Clock;
        var request = new SlaEventRequest(
            ticketId,
            type,
            dedupeKey,
            at,
            priority,
            priorityDefaulted,
            c.Target,
            c.DueAt,
            c.WarningAt,
            c.ElapsedAt(at),
            c.PausedAt(at),
            completed ? SlaStates.Completed : c.State,
            outcome,
            reason,
            previousDue,
            previousPriority,
            cause);
        var summary = outcome is null
            ? $"{type} for ticket #{ticketId} ({priority}, due {c.DueAt:u})"
            : $"{type} for ticket #{ticketId}: {outcome} ({priority}, due {c.DueAt:u})";
        return Workflow.ExecuteActivityAsync((SlaActivities a) => a.RecordEventAsync(request), With(DbActivity, summary));
    }

    private Task SaveStateAsync()
    {
        var c = Clock;
        var request = new SlaStateRequest(ticketId, c.DueAt, c.WarningAt, c.State);
        return Workflow.ExecuteActivityAsync(
            (SlaActivities a) => a.SaveStateAsync(request),
            With(DbActivity, $"SLA of ticket #{ticketId}: {c.State} ({priority}, due {c.DueAt:u})"));
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
        lastPriorityEventId);

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
        clock = new SlaClock(s.CreatedAt, policy.TargetFor(priority), policy.WarningFraction, s.PausedTotal, s.PausedSince, s.WarningSent, s.Breached);
    }

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
