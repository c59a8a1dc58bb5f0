using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpsDesk.Workflows.Telemetry;
using OpsDesk.Workflows.Temporal;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace OpsDesk.Workflows.Triage;

/// <summary>Starts <c>triage-{id}</c> idempotently, giving up after <c>Temporal:StartTimeoutSeconds</c>.</summary>
public sealed partial class TemporalTriageStarter(
    TemporalClientProvider clients,
    IOptions<TemporalOptions> options,
    ILogger<TemporalTriageStarter> logger) : ITriageStarter
{
    public async Task<bool> TryStartAsync(long ticketId, string source, CancellationToken ct)
    {
        var o = options.Value;
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(TimeSpan.FromSeconds(o.StartTimeoutSeconds));
        try
        {
            var client = await clients.GetAsync(bounded.Token);
            await client.StartWorkflowAsync(
                TriageWorkflowStart.Name,
                [new TriageInput(ticketId, source)],
                TriageWorkflowStart.Options(ticketId, source, o.TaskQueue, bounded.Token));
            return true;
        }
        catch (WorkflowAlreadyStartedException)
        {
            // Completed (or running under another policy): nothing to start, which is success.
            return true;
        }
        catch (Exception ex) when (TemporalErrors.IsTemporalFailure(ex) || ex is OperationCanceledException)
        {
            if (ct.IsCancellationRequested)
                throw;
            // Queued starts run outside their request's span: the scope keeps the log in its trace.
            using (OpsDeskTelemetry.ContinuedTraceLogScope(logger))
                LogStartFailed(logger, ticketId, ex.GetType().Name, ex.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not start triage for ticket {TicketId} ({Kind}: {Reason}); the reconciler will retry")]
    private static partial void LogStartFailed(ILogger logger, long ticketId, string kind, string reason);
}

/// <summary>How every caller (API, reconciler, CLI) starts a triage: one id, one policy.</summary>
public static class TriageWorkflowStart
{
    public const string Name = "TriageWorkflow";

    public static WorkflowOptions Options(long ticketId, string source, string taskQueue, CancellationToken ct) =>
        new(WorkflowIds.Triage(ticketId), taskQueue)
        {
            // A running triage is reused; a failed one may run again; a completed one is never repeated.
            IdConflictPolicy = WorkflowIdConflictPolicy.UseExisting,
            IdReusePolicy = WorkflowIdReusePolicy.AllowDuplicateFailedOnly,
            StaticSummary = $"Triage ticket #{ticketId} ({source})",
            Rpc = new RpcOptions { CancellationToken = ct },
        };
}
