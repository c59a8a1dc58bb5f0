using System.Diagnostics;
using OpsDesk.Workflows.Triage.Classifiers.Local;

namespace OpsDesk.Tests.Workflows.Triage.Classifiers;

/// <summary>Throughput of the local classifier; run on demand, never in the default suite.</summary>
[Category("Benchmark")]
[Explicit("Benchmark: run with --filter Category=Benchmark")]
public sealed class LocalClassifierBenchmarkTests
{
    [Test]
    public void Local_classifier_throughput()
    {
        var tickets = LabelledTicket.Load(LabelledTicket.DevelopmentSet)
            .Concat(LabelledTicket.Load(LabelledTicket.HoldoutSet))
            .Select((t, i) => t.ToTicket(i + 1))
            .ToArray();

        for (var i = 0; i < 2_000; i++)
            LocalTicketClassifier.Classify(tickets[i % tickets.Length]); // warm-up (JIT, tiering)

        const int Count = 50_000;
        var checksum = 0;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < Count; i++)
            checksum += LocalTicketClassifier.Classify(tickets[i % tickets.Length]).Entities.Count;
        stopwatch.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;

        // Wall time depends on what else runs on the machine; process CPU time is the steadier number.
        var perSecond = Count / stopwatch.Elapsed.TotalSeconds;
        var perCpuSecond = Count / cpu.TotalSeconds;
        TestContext.Out.WriteLine($"local classifier: {Count} tickets in {stopwatch.Elapsed.TotalMilliseconds:F0} ms wall = {perSecond:F0} tickets/s on one thread; {cpu.TotalMilliseconds:F0} ms CPU = {perCpuSecond:F0} tickets per CPU-second ({checksum} entities)");
        Assert.That(checksum, Is.GreaterThan(0));
    }
}
