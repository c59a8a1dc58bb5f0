using System.Collections.Concurrent;
using OpsDesk.Workflows.Triage;

namespace OpsDesk.Tests.Support;

/// <summary>Stands in for Temporal inside API tests; records every start it was asked for.</summary>
public sealed class RecordingTriageStarter : ITriageStarter
{
    public ConcurrentQueue<(long TicketId, string Source)> Starts { get; } = new();

    /// <summary>What the next starts return: false simulates Temporal being unreachable.</summary>
    public bool Succeed { get; set; } = true;

    public Task<bool> TryStartAsync(long ticketId, string source, CancellationToken ct)
    {
        Starts.Enqueue((ticketId, source));
        return Task.FromResult(Succeed);
    }
}
