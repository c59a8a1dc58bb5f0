using Npgsql;
using OpsDesk.Db.Triage;
using OpsDesk.Workflows;
using OpsDesk.Workflows.Temporal;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace OpsDesk.Workflows.Triage.Retry;

/// <summary>
/// Retrying one failed triage, for <c>opsdesk triage retry</c> and the console's retry button: describe
/// its latest run, skip a running or completed one, otherwise record the retry (<paramref name="recorder"/>;
/// null for a dry run) and start a new run.
/// </summary>
public sealed class TriageRetrier(TemporalOptions temporal, ITemporalClient client, IReadOnlyDictionary<long, FailedTriageRow> rows, RetryRecorder? recorder)
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
        catch (Exception ex) when (TemporalErrors.IsNotFound(ex))
        {
            // Never started (or its history was deleted by retention): a fresh run is what is needed.
        }
        catch (Exception ex) when (TemporalErrors.IsTemporalFailure(ex) && !ct.IsCancellationRequested)
        {
            return new RetryOutcome(ticketId, RetryOutcome.Error, "describe failed: " + TemporalErrors.Describe(ex), null, null, null, temporal.WorkflowUrl(workflowId, null));
        }

        var statusName = previousStatus is { } st ? TemporalErrors.StatusName(st) : null;
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
                TriageWorkflowStart.Options(ticketId, row.Source, temporal.TaskQueue, ct));
            var runId = handle.ResultRunId ?? handle.RunId;
            return Outcome(RetryOutcome.Started, runId: runId, url: temporal.WorkflowUrl(workflowId, runId));
        }
        catch (WorkflowAlreadyStartedException)
        {
            // It completed between the describe and the start: the reuse policy refused a second run.
            return Outcome(RetryOutcome.Skipped, RetryOutcome.SkipCompleted);
        }
        catch (Exception ex) when (TemporalErrors.IsTemporalFailure(ex) && !ct.IsCancellationRequested)
        {
            return Outcome(RetryOutcome.Error, $"start failed ({TemporalErrors.Describe(ex)}); the ticket is queued and the reconciler will start it");
        }
    }
}
