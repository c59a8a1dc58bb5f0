using System.Collections.Concurrent;
using OpsDesk.Workflows.Sla;

namespace OpsDesk.Tests.Support;

/// <summary>Stands in for Temporal in dispatcher tests: records every signal it was asked to send.</summary>
public sealed class RecordingSlaSignaler : ISlaSignaler
{
    public ConcurrentQueue<(long TicketId, SlaChange Change)> Signals { get; } = new();

    /// <summary>What the next signals do: deliver, find no workflow, or fail as if Temporal were down.</summary>
    public SignalMode Mode { get; set; } = SignalMode.Deliver;

    public Task<SlaSignalResult> SignalAsync(long ticketId, SlaChange change, CancellationToken ct)
    {
        if (Mode == SignalMode.Unreachable)
            throw new Temporalio.Exceptions.RpcException(Temporalio.Exceptions.RpcException.StatusCode.Unavailable, "Temporal is unreachable (test)", null);
        Signals.Enqueue((ticketId, change));
        return Task.FromResult(Mode == SignalMode.NoWorkflow ? SlaSignalResult.NoWorkflow : SlaSignalResult.Delivered);
    }

    public enum SignalMode
    {
        Deliver,
        NoWorkflow,
        Unreachable,
    }
}
