using System.Text;
using System.Text.Json;
using System.Xml;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
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
    /// <summary>Error type of the non-retryable failure for a ticket id that does not exist.</summary>
    public const string TicketNotFound = "TicketNotFound";

    /// <summary>Reads the ticket and its SLA history, and the SLA policy from configuration.</summary>
    [Activity]
    public async Task<SlaTicketState> LoadTicketAsync(long ticketId)
    {
        var snapshot = await repository.GetSnapshotAsync(ticketId, CancellationToken)
            ?? throw new ApplicationFailureException($"Ticket {ticketId} does not exist.", TicketNotFound, nonRetryable: true);
        var state = FromSnapshot(snapshot, options.Value.ToPolicy());
        LogLoaded(logger, ticketId, state.Priority ?? "(none)", state.Status);
        return state;
    }

    /// <summary>Appends one SLA event and sets the ticket's SLA columns; returns the event id (the first one's, on a retry).</summary>
    [Activity]
    public async Task<long> RecordEventAsync(SlaEventRequest request)
    {
        var id = await repository.RecordEventAsync(
            new SlaEventWrite(
                request.TicketId,
                request.Type,
                request.DedupeKey,
                Utc(request.OccurredAt),
                Payload(request),
                Utc(request.DueAt),
                Utc(request.WarningAt),
                request.State),
            CancellationToken);
        LogRecorded(logger, request.Type, request.TicketId, id);
        return id;
    }

    /// <summary>Sets the ticket's SLA columns (clock started, paused) without a timeline event.</summary>
    [Activity]
    public Task SaveStateAsync(SlaStateRequest request) =>
        repository.SaveStateAsync(request.TicketId, Utc(request.DueAt), Utc(request.WarningAt), request.State, CancellationToken);

    /// <summary>
    /// The workflow's starting state from the database: pauses are rebuilt from the status history
    /// (time not open counts as paused), milestones from the SLA events already written.
    /// </summary>
    public static SlaTicketState FromSnapshot(SlaTicketSnapshot snapshot, SlaPolicy policy)
    {
        var paused = TimeSpan.Zero;
        DateTime? stoppedSince = null;
        DateTime? closedAt = null;
        foreach (var change in snapshot.StatusChanges)
        {
            var at = Utc(change.OccurredAt);
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
        var updatedAt = Utc(snapshot.UpdatedAt);
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

        bool Has(string type) => snapshot.SlaEventKeys.Any(k => k.StartsWith(type + ":", StringComparison.Ordinal));
        return new SlaTicketState(
            policy,
            Utc(snapshot.CreatedAt),
            snapshot.Priority,
            snapshot.Status,
            paused,
            pausedSince,
            closedAt,
            WarningSent: Has(EventTypes.SlaWarning),
            Breached: Has(EventTypes.SlaBreached),
            AlreadyCompleted: Has(EventTypes.SlaCompleted),
            Cycle: snapshot.SlaEventKeys.Count(k => k.StartsWith(EventTypes.SlaRecalculated + ":", StringComparison.Ordinal)),
            snapshot.LastChangeEventId);
    }

    /// <summary>The event payload: priority, target, deadline, elapsed and paused time, and what the event type adds.</summary>
    public static string Payload(SlaEventRequest r)
    {
        var buffer = new MemoryStream(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("priority", r.Priority);
            w.WriteBoolean("priorityDefaulted", r.PriorityDefaulted);
            w.WriteNumber("targetMinutes", Math.Round(r.Target.TotalMinutes, 3));
            w.WriteString("target", XmlConvert.ToString(r.Target));
            w.WriteString("dueAt", Utc(r.DueAt));
            w.WriteString("warningAt", Utc(r.WarningAt));
            w.WriteNumber("elapsedSeconds", Math.Round(r.Elapsed.TotalSeconds, 3));
            w.WriteNumber("pausedSeconds", Math.Round(r.Paused.TotalSeconds, 3));
            w.WriteString("state", r.State);
            if (r.Outcome is not null)
                w.WriteString("outcome", r.Outcome);
            if (r.Reason is not null)
                w.WriteString("reason", r.Reason);
            if (r.PreviousDueAt is { } previousDue)
                w.WriteString("previousDueAt", Utc(previousDue));
            if (r.PreviousPriority is not null)
                w.WriteString("previousPriority", r.PreviousPriority);
            if (r.CauseEventId is { } cause)
                w.WriteNumber("causeEventId", cause);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static CancellationToken CancellationToken =>
        ActivityExecutionContext.HasCurrent ? ActivityExecutionContext.Current.CancellationToken : default;

    private static DateTime Utc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "SLA loaded ticket {TicketId}: priority {Priority}, status {Status}")]
    private static partial void LogLoaded(ILogger logger, long ticketId, string priority, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "SLA recorded {Type} for ticket {TicketId} (event {EventId})")]
    private static partial void LogRecorded(ILogger logger, string type, long ticketId, long eventId);
}
