using OpsDesk.Workflows.Temporal;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace OpsDesk.Workflows.Sla;

/// <summary>Signals SLA workflows through the process's shared Temporal client.</summary>
public sealed class TemporalSlaSignaler(TemporalClientProvider clients) : ISlaSignaler
{
    /// <summary>Longest a single signal call may take before the round gives up and backs off.</summary>
    public static readonly TimeSpan SignalTimeout = TimeSpan.FromSeconds(10);

    public async Task<SlaSignalResult> SignalAsync(long ticketId, SlaChange change, CancellationToken ct)
    {
        var client = await clients.GetAsync(ct);
        var handle = client.GetWorkflowHandle<SlaWorkflow>(WorkflowIds.Sla(ticketId));
        try
        {
            await handle.SignalAsync(
                wf => wf.ApplyChangeAsync(change),
                new WorkflowSignalOptions { Rpc = new RpcOptions { CancellationToken = ct, Timeout = SignalTimeout } });
            return SlaSignalResult.Delivered;
        }
        catch (RpcException ex) when (ex.Code == RpcException.StatusCode.NotFound)
        {
            // Never started, or already completed: both mean no running clock to tell.
            return SlaSignalResult.NoWorkflow;
        }
    }
}
