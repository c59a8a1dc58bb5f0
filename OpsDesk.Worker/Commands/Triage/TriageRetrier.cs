using Npgsql;
using OpsDesk.Db.Triage;
using OpsDesk.Workflows;
using OpsDesk.Workflows.Triage;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace OpsDesk.Worker.Commands.Triage;

/// <summary>
/// The Temporal side of retrying one ticket: describe its latest run, skip a running or completed one,
/// otherwise record the retry (<paramref name="recorder"/>; null under --dry-run) and start a new run.
/// </summary>
internal sealed class TriageRetrier(CliTemporal temporal, ITemporalClient client, IReadOnlyDictionary<long, FailedTriageRow> rows, RetryRecorder? recorder)
{
    public async Task<RetryOutcome> RetryAsync(long ticketId, CancellationToken ct)
    {
        var workflowId = WorkflowIds.Triage(ticketId);
        if (!rows.TryGetValue(ticketId, out var row))
            return new RetryOutcome(ticketId, RetryOutcome.Skipped, RetryOutcome.SkipNoTicket, null, null, null, null);

        string? previousRunId = null;
        WorkflowExecutionStatus? previousStatus = null;
        try
        {
            var description = await client.GetWorkflowHandle(workflowId).DescribeAsync(new WorkflowDescribeOptions { Rpc = new RpcOptions { CancellationToken = ct } });
            previousRunId = description.RunId;
            previousStatus = description.Status;
        }
        catch (Exception ex) when (CliTemporal.IsNotFound(ex))
        {
            // Never started (or its history was deleted by retention): a fresh run is what is needed.
        }
        catch (Exception ex) when (CliTemporal.IsUnavailable(ex) && !ct.IsCancellationRequested)
        {
            return new RetryOutcome(ticketId, RetryOutcome.Error, "describe failed: " + CliTemporal.Describe(ex), null, null, null, temporal.WorkflowUrl(workflowId, null));
        }

        var statusName = previousStatus is { } st ? CliTemporal.StatusName(st) : null;
        var previousUrl = temporal.WorkflowUrl(workflowId, previousRunId);
        RetryOutcome Outcome(string outcome, string? reason = null, string? runId = null, string? url = null) =>
            new(ticketId, outcome, reason, previousRunId, statusName, runId, url ?? previousUrl);
        switch (previousStatus)
        {
            case WorkflowExecutionStatus.Running or WorkflowExecutionStatus.ContinuedAsNew:
                return Outcome(RetryOutcome.Skipped, RetryOutcome.SkipRunning);
            case WorkflowExecutionStatus.Completed:
                return Outcome(RetryOutcome.Skipped, RetryOutcome.SkipCompleted);
        }

        // Failed, Terminated, TimedOut, Canceled, or no workflow at all: a new run may start.
        if (recorder is null)
            return Outcome(RetryOutcome.WouldStart);

        try
        {
            await recorder.RecordAsync(ticketId, previousRunId, row, ct);
        }
        catch (NpgsqlException ex)
        {
            return Outcome(RetryOutcome.Error, "database: " + ex.Message);
        }

        try
        {
            var handle = await client.StartWorkflowAsync(
                TriageWorkflowStart.Name,
                [new TriageInput(ticketId, row.Source)],
                TriageWorkflowStart.Options(ticketId, row.Source, temporal.Options.TaskQueue, ct));
            var runId = handle.ResultRunId ?? handle.RunId;
            return Outcome(RetryOutcome.Started, runId: runId, url: temporal.WorkflowUrl(workflowId, runId));
        }
        catch (WorkflowAlreadyStartedException)
        {
            // It completed between the describe and the start: the reuse policy refused a second run.
            return Outcome(RetryOutcome.Skipped, RetryOutcome.SkipCompleted);
        }
        catch (Exception ex) when (CliTemporal.IsUnavailable(ex) && !ct.IsCancellationRequested)
        {
            return Outcome(RetryOutcome.Error, $"start failed ({CliTemporal.Describe(ex)}); the ticket is queued and the reconciler will start it");
        }
    }
}
