using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpsDesk.Db;
using OpsDesk.Db.Events;
using OpsDesk.Db.Sla;
using OpsDesk.Db.Tickets;
using Temporalio.Activities;
using Temporalio.Exceptions;

namespace OpsDesk.Workflows.Sla;

/// <summary>
/// The SLA workflow's I/O. Each activity is idempotent: the load only reads, the event write is
/// unique by its dedupe key and sets the SLA columns in the same transaction, the state save only
/// sets columns.
/// </summary>
public sealed partial class SlaActivities(SlaRepository repository, IOptions<SlaOptions> options, ILogger<SlaActivities> logger)
{
    /// <summary>Reads the ticket and its SLA history, and the SLA policy from configuration.</summary>
    [Activity]
    public async Task<SlaTicketState> LoadTicketAsync(long ticketId)
    {
        var snapshot = await repository.GetSnapshotAsync(ticketId, CancellationToken)
            ?? throw TicketNotFound.Failure(ticketId);
        var state = FromSnapshot(snapshot, options.Value.ToPolicy());
        LogLoaded(logger, ticketId, state.Priority ?? "(none)", state.Status);
        return state;
    }

    /// <summary>Appends one SLA event and sets the ticket's SLA columns; returns the event id (the first one's, on a retry).</summary>
    [Activity]
    public async Task<long> RecordEventAsync(SlaEventRequest request)
    {
        var id = request.Type switch
        {
            EventTypes.SlaWarning => await RecordAsync(request, Facts<SlaWarningEvent>(request)),
            EventTypes.SlaBreached => await RecordAsync(request, Facts<SlaBreachedEvent>(request)),
            EventTypes.SlaRecalculated => await RecordAsync(request, Facts<SlaRecalculatedEvent>(request) with
            {
                Reason = request.Reason ?? "",
                PreviousDueAt = UtcTime.Of(request.PreviousDueAt ?? request.DueAt),
                PreviousPriority = request.PreviousPriority is null ? null : WireNames.Parse<TicketPriority>(request.PreviousPriority),
                CauseEventId = request.CauseEventId ?? 0,
            }),
            EventTypes.SlaCompleted => await RecordAsync(request, Facts<SlaCompletedEvent>(request) with
            {
                Outcome = request.Outcome ?? "",
                CauseEventId = request.CauseEventId,
            }),
            _ => throw new ApplicationFailureException($"{request.Type} is not an SLA event type.", "UnknownSlaEvent", nonRetryable: true),
        };
        LogRecorded(logger, request.Type, request.TicketId, id);
        return id;
    }

    /// <summary>Sets the ticket's SLA columns (clock started, paused) without a timeline event.</summary>
    [Activity]
    public Task SaveStateAsync(SlaStateRequest request) =>
        repository.SaveStateAsync(request.TicketId, Utc(request.ColumnsToWrite()), CancellationToken);

    /// <summary>
    /// The workflow's starting state from the database: pauses are rebuilt from the status history
    /// (time not open counts as paused), milestones from the SLA events already written, the first
    /// response from the first public agent comment or the first resolve, whichever came first.
    /// Milestones of a single-target clock (dedupe keys without a target) count as the resolution's.
    /// </summary>
    public static SlaTicketState FromSnapshot(SlaTicketSnapshot snapshot, SlaPolicy policy)
    {
        var paused = TimeSpan.Zero;
        DateTime? stoppedSince = null;
        DateTime? closedAt = null;
        DateTime? firstClosedAt = null;
        foreach (var change in snapshot.StatusChanges)
        {
            var at = UtcTime.Of(change.OccurredAt);
            if (change.To is TicketStatuses.Resolved or TicketStatuses.Closed)
                firstClosedAt ??= at;
            if (change.To == TicketStatuses.Open)
            {
                if (stoppedSince is { } since && at > since)
                    paused += at - since;
                stoppedSince = null;
                closedAt = null;
            }
            else
            {
                stoppedSince ??= at;
                if (change.To is TicketStatuses.Resolved or TicketStatuses.Closed)
                    closedAt ??= at;
            }
        }

        // The row is the truth; the timeline only supplies the times.
        var updatedAt = UtcTime.Of(snapshot.UpdatedAt);
        DateTime? pausedSince = null;
        switch (snapshot.Status)
        {
            case TicketStatuses.Pending:
                pausedSince = stoppedSince ?? updatedAt;
                closedAt = null;
                break;
            case TicketStatuses.Resolved or TicketStatuses.Closed:
                closedAt ??= updatedAt;
                break;
            default:
                closedAt = null;
                break;
        }

        if (snapshot.Status is TicketStatuses.Resolved or TicketStatuses.Closed)
            firstClosedAt ??= updatedAt;

        var keys = snapshot.SlaEventKeys.Select(SlaDedupeKeys.Parse).ToList();
        bool Has(string type, SlaTarget target) => keys.Any(k => k.Type == type && (k.Target ?? SlaTarget.Resolution) == target);

        var created = UtcTime.Of(snapshot.CreatedAt);
        var firstResponse = new SlaClock(
            created,
            policy.FirstResponseTargetFor(policy.Effective(snapshot.Priority)),
            policy.WarningFraction,
            WarningSent: Has(EventTypes.SlaWarning, SlaTarget.FirstResponse),
            Breached: Has(EventTypes.SlaBreached, SlaTarget.FirstResponse));
        DateTime? replied = snapshot.FirstPublicAgentCommentAt is { } c ? UtcTime.Of(c) : null;
        if (Earliest(replied, firstClosedAt) is { } answeredAt)
            firstResponse = firstResponse.Complete(answeredAt);
        else if (Has(EventTypes.SlaCompleted, SlaTarget.FirstResponse))
            firstResponse = firstResponse.Complete(updatedAt);

        return new SlaTicketState(
            policy,
            created,
            snapshot.Priority,
            snapshot.Status,
            paused,
            pausedSince,
            closedAt,
            WarningSent: Has(EventTypes.SlaWarning, SlaTarget.Resolution),
            Breached: Has(EventTypes.SlaBreached, SlaTarget.Resolution),
            AlreadyCompleted: Has(EventTypes.SlaCompleted, SlaTarget.Resolution),
            Cycle: keys.Select(k => k.Cycle).DefaultIfEmpty(0).Max(),
            snapshot.LastChangeEventId,
            firstResponse);
    }

    private static DateTime? Earliest(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private static SlaColumns Utc(SlaColumns c) => new(Utc(c.Summary), c.FirstResponse is { } f ? Utc(f) : null, Utc(c.Resolution));

    private static SlaTargetColumns Utc(SlaTargetColumns c) => c with { DueAt = UtcTime.Of(c.DueAt), WarningAt = UtcTime.Of(c.WarningAt) };

    /// <summary>What every SLA event says, from the workflow's request: priority, target, deadline, elapsed and paused time, state.</summary>
    public static TEvent Facts<TEvent>(SlaEventRequest r)
        where TEvent : SlaEvent, new() => new()
        {
            Priority = WireNames.Parse<TicketPriority>(r.Priority),
            PriorityDefaulted = r.PriorityDefaulted,
            TargetKind = r.TargetKind,
            Duration = r.Target,
            DueAt = UtcTime.Of(r.DueAt),
            WarningAt = UtcTime.Of(r.WarningAt),
            ElapsedSeconds = Math.Round(r.Elapsed.TotalSeconds, 3),
            PausedSeconds = Math.Round(r.Paused.TotalSeconds, 3),
            State = WireNames.Parse<SlaState>(r.State),
        };

    private Task<long> RecordAsync<TEvent>(SlaEventRequest r, TEvent payload)
        where TEvent : SlaEvent, ITicketEvent =>
        repository.RecordEventAsync(r.TicketId, payload, r.DedupeKey, UtcTime.Of(r.OccurredAt), Utc(r.ColumnsToWrite()), CancellationToken);

    private static CancellationToken CancellationToken =>
        ActivityExecutionContext.HasCurrent ? ActivityExecutionContext.Current.CancellationToken : default;

    [LoggerMessage(Level = LogLevel.Information, Message = "SLA loaded ticket {TicketId}: priority {Priority}, status {Status}")]
    private static partial void LogLoaded(ILogger logger, long ticketId, string priority, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "SLA recorded {Type} for ticket {TicketId} (event {EventId})")]
    private static partial void LogRecorded(ILogger logger, string type, long ticketId, long eventId);
}
