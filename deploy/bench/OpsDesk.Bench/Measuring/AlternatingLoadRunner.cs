using System.Diagnostics;
using HdrHistogram;

namespace OpsDesk.Bench.Measuring;

/// <summary>
/// Closed loop against several targets in turns of one time slot each (slot <c>i</c> goes to target
/// <c>i mod n</c>; a request goes where the slot it leaves in says, and counts to that slot), so each target
/// runs alone on the machine, and whatever disturbs the machine for longer than a few slots (a collector's
/// cycle, a vacuum, a neighbour) falls on all of them. Each target is compared with the first slot by slot:
/// each of its slots against the mean of the first target's slots either side of it (a steady drift cancels).
/// </summary>
public static class AlternatingLoadRunner
{
    public static async Task<AlternatingReport> RunAsync(IReadOnlyList<string> targets, IReadOnlyList<LoadOperation> operations,
        int concurrency, TimeSpan duration, TimeSpan warmup, TimeSpan slot, CancellationToken ct)
    {
        var n = operations.Count;
        var slotTicks = (long)(slot.TotalSeconds * Stopwatch.Frequency);
        // Whole rounds of slots (one per target), warm-up and measured alike, so measuring starts on the first target.
        var warmupSlots = n * (long)Math.Ceiling(warmup / (n * slot));
        var slots = (int)Math.Max(n, n * (long)Math.Ceiling(duration / (n * slot)));
        var completed = new long[slots];
        var failed = new long[n];
        var latency = Enumerable.Range(0, n).Select(_ => LatencySummary.NewHistogram()).ToArray();
        var gate = new Lock();
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + warmupSlots * slotTicks;
        var end = measureFrom + slots * slotTicks;
        long sequence = 0;

        var callers = Enumerable.Range(0, Math.Max(1, concurrency)).Select(_ => Task.Run(async () =>
        {
            while (!ct.IsCancellationRequested)
            {
                var sent = Stopwatch.GetTimestamp();
                if (sent >= end)
                    return;
                var slotIndex = (sent - start) / slotTicks;
                var side = (int)(slotIndex % n);
                var (status, error) = await LoadRunner.InvokeAsync(operations[side], Interlocked.Increment(ref sequence), ct);
                var done = Stopwatch.GetTimestamp();
                if (sent < measureFrom)
                    continue;
                if (!LoadRunner.Succeeded(status, error))
                {
                    Interlocked.Increment(ref failed[side]);
                    continue;
                }

                Interlocked.Increment(ref completed[slotIndex - warmupSlots]);
                lock (gate)
                    latency[side].RecordValue(LoadRunner.Microseconds(done - sent));
            }
        }, ct)).ToArray();
        await Task.WhenAll(callers);
        return Report(targets, slot, n, completed, failed, latency);
    }

    private static AlternatingReport Report(IReadOnlyList<string> targets, TimeSpan slot, int n, long[] completed, long[] failed, LongHistogram[] latency)
    {
        var seconds = completed.Length / n * slot.TotalSeconds;
        var sums = Enumerable.Range(0, n).Select(k => completed.Where((_, i) => i % n == k).Sum()).ToArray();
        var slotRatios = new List<double>[n];
        for (var k = 0; k < n; k++)
        {
            // Each of target k's slots against the mean of the first target's slots before and after it (the last has one).
            slotRatios[k] = [];
            for (var i = k; i < completed.Length; i += n)
            {
                var before = completed[i - k];
                var around = i - k + n < completed.Length ? (before + completed[i - k + n]) / 2.0 : before;
                if (around > 0)
                    slotRatios[k].Add(completed[i] / around);
            }

            slotRatios[k].Sort();
        }

        return new AlternatingReport(
            targets,
            slot.TotalSeconds,
            completed.Length,
            sums,
            sums.Select(c => Math.Round(c / seconds, 1)).ToArray(),
            failed,
            sums.Select(c => sums[0] > 0 ? Math.Round(c / (double)sums[0], 4) : 0).ToArray(),
            slotRatios.Select(r => Math.Round(Quantile(r, 0.5), 4)).ToArray(),
            slotRatios.Select(r => Math.Round(Quantile(r, 0.25), 4)).ToArray(),
            slotRatios.Select(r => Math.Round(Quantile(r, 0.75), 4)).ToArray(),
            latency.Select(LatencySummary.From).ToArray(),
            completed);
    }

    private static double Quantile(List<double> sorted, double q)
    {
        if (sorted.Count == 0)
            return 0;
        var at = q * (sorted.Count - 1);
        var low = (int)Math.Floor(at);
        var high = Math.Min(low + 1, sorted.Count - 1);
        return sorted[low] + (sorted[high] - sorted[low]) * (at - low);
    }
}

/// <summary>The outcome of an alternating run; every array has one entry per target, in the order given.</summary>
/// <param name="Requests">Requests that succeeded over the target's measured slots.</param>
/// <param name="Throughput">Succeeded per second of the target's own slots.</param>
/// <param name="Ratio">The target's requests over the first target's (equal time each).</param>
/// <param name="SlotRatioMedian">Median over the target's slots of its count over the mean of the first target's slots either side.</param>
/// <param name="SlotRequests">Succeeded per slot (slot i went to target i mod n).</param>
public sealed record AlternatingReport(
    IReadOnlyList<string> Targets,
    double SlotSeconds,
    int Slots,
    long[] Requests,
    double[] Throughput,
    long[] Failed,
    double[] Ratio,
    double[] SlotRatioMedian,
    double[] SlotRatioP25,
    double[] SlotRatioP75,
    LatencySummary[] Latency,
    long[] SlotRequests);
