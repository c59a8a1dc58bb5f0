using System.Globalization;
using OpsDesk.Db.Events;
using OpsDesk.Db.Triage;

namespace OpsDesk.Workflows.Triage.Retry;

/// <summary>
/// The one database write of <c>triage retry</c>: the <c>ticket.triage_retried</c> event, recorded
/// before the start so a start that fails leaves the ticket queued for the reconciler. Idempotent per
/// previous run (its dedupe key).
/// </summary>
public sealed class RetryRecorder(TriageQueries queries, string requestedBy, string reason)
{
    public async Task RecordAsync(long ticketId, string? previousRunId, FailedTriageRow row, CancellationToken ct)
    {
        var dedupeKey = "retry-of:" + (previousRunId ?? (row.FailedEventId is { } e ? "event-" + e.ToString(CultureInfo.InvariantCulture) : "none"));
        await queries.RecordRetryAsync(ticketId, dedupeKey, new TriageRetriedEvent(previousRunId, requestedBy, reason), ct);
    }
}
