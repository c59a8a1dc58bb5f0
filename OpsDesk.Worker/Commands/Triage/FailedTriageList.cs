using OpsDesk.Db.Triage;
using OpsDesk.Workflows;
using OpsDesk.Workflows.Triage;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace OpsDesk.Worker.Commands.Triage;

/// <summary>
/// Failed triages from Temporal visibility joined with the database, or — when visibility cannot be
/// asked — from the database alone (<c>tickets.triage_status = failed</c>).
/// </summary>
internal static class FailedTriageList
{
    public const string FromVisibility = "visibility";
    public const string FromDatabase = "database";

    /// <summary>The fallback reason when the server does not implement visibility at all.</summary>
    public const string NoVisibility = "this Temporal server has no visibility (ListWorkflowExecutions is not implemented)";

    internal sealed record Result(string Source, string? FallbackReason, IReadOnlyList<(FailedTriage Item, FailedTriageRow? Row)> Items)
    {
        /// <summary>The one line that tells the operator where the list came from, or null when from visibility.</summary>
        public string? Notice(string what) => Source != FromDatabase ? null
            : FallbackReason == NoVisibility ? $"note: {NoVisibility}; {what} from the database (tickets.triage_status = failed)."
            : $"warning: Temporal visibility unavailable ({FallbackReason}); {what} from the database (tickets.triage_status = failed) instead.";
    }

    public static string VisibilityQuery(DateTime sinceUtc) =>
        $"WorkflowType='{TriageWorkflowStart.Name}' AND ExecutionStatus='Failed' AND CloseTime > '{sinceUtc.ToString("yyyy-MM-ddTHH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)}'";

    public static async Task<Result> ListAsync(TriageCommandContext context, ITemporalClient? client, string? clientError, TimeSpan since, int limit, CancellationToken ct)
    {
        var sinceUtc = DateTime.UtcNow - since;
        var queries = context.Queries;
        if (client is not null)
        {
            List<WorkflowExecution>? runs = null;
            try
            {
                runs = await LatestFailedRunsAsync(client, VisibilityQuery(sinceUtc), limit, ct);
            }
            catch (RpcException ex) when (ex.Code == RpcException.StatusCode.Unimplemented)
            {
                // Temporal's test server (and some proxies) have no visibility store: the database answers.
                clientError = NoVisibility;
            }
            catch (Exception ex) when (CliTemporal.IsUnavailable(ex) && !ct.IsCancellationRequested)
            {
                clientError = CliTemporal.Describe(ex);
            }

            if (runs is not null)
            {
                var ids = runs.Select(r => WorkflowIds.TicketIdOf(r.Id)).OfType<long>().ToList();
                var rows = await queries.GetManyAsync(ids, ct);
                var items = new List<(FailedTriage, FailedTriageRow?)>();
                foreach (var run in runs)
                {
                    var ticketId = WorkflowIds.TicketIdOf(run.Id);
                    if (ticketId is null)
                        continue;
                    var row = rows.GetValueOrDefault(ticketId.Value);
                    // A failure that a later retry fixed is history, not a failed triage.
                    if (row?.TriageStatus == Db.Tickets.TriageStatuses.Classified)
                        continue;
                    // The latest triage_failed describes this run only if it was recorded by it.
                    var sameRun = row?.RunId is null || row.RunId == run.RunId;
                    items.Add((new FailedTriage(
                        ticketId.Value,
                        row?.Subject,
                        sameRun ? row?.Reason : null,
                        sameRun ? row?.Message : null,
                        sameRun ? row?.Attempts : null,
                        run.CloseTime ?? run.StartTime,
                        run.Id,
                        run.RunId,
                        context.Temporal.WorkflowUrl(run.Id, run.RunId)), row));
                    if (items.Count == limit)
                        break;
                }

                return new Result(FromVisibility, null, items);
            }
        }

        var fallback = await queries.ListFailedAsync(sinceUtc, limit, ct);
        return new Result(FromDatabase, clientError ?? "no Temporal client", fallback
            .Select(r => (new FailedTriage(
                r.TicketId, r.Subject, r.Reason, r.Message, r.Attempts, r.FailedAt,
                WorkflowIds.Triage(r.TicketId), r.RunId, context.Temporal.WorkflowUrl(WorkflowIds.Triage(r.TicketId), r.RunId)), (FailedTriageRow?)r))
            .ToList());
    }

    /// <summary>The newest failed run of each workflow id, newest first; at most twice the limit, to leave room for the classified ones dropped later.</summary>
    private static async Task<List<WorkflowExecution>> LatestFailedRunsAsync(ITemporalClient client, string query, int limit, CancellationToken ct)
    {
        var byId = new Dictionary<string, WorkflowExecution>(StringComparer.Ordinal);
        var options = new WorkflowListOptions { Rpc = new RpcOptions { CancellationToken = ct, Timeout = TimeSpan.FromSeconds(30) } };
        await foreach (var run in client.ListWorkflowsAsync(query, options).WithCancellation(ct))
        {
            if (!byId.TryGetValue(run.Id, out var known) || (run.CloseTime ?? run.StartTime) > (known.CloseTime ?? known.StartTime))
                byId[run.Id] = run;
            if (byId.Count >= limit * 2)
                break;
        }

        return byId.Values.OrderByDescending(r => r.CloseTime ?? r.StartTime).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
    }
}
