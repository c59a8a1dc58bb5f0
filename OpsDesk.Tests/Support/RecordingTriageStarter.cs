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

    /// <summary>The API starts triage after it answers: waits until the start for <paramref name="ticketId"/> was asked for.</summary>
    public async Task<(long TicketId, string Source)> WaitForStartAsync(long ticketId)
    {
        (long TicketId, string Source) found = default;
        await LiveTemporal.WaitForAsync(() =>
        {
            found = Starts.FirstOrDefault(s => s.TicketId == ticketId);
            return Task.FromResult(found.TicketId == ticketId);
        }, TimeSpan.FromSeconds(10), $"the triage start of ticket {ticketId}");
        return found;
    }
}
