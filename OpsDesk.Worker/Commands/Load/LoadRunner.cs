using System.Diagnostics;
using System.Globalization;
using HdrHistogram;

namespace OpsDesk.Worker.Commands.Load;

/// <summary>One request of a load run: returns its HTTP status code (2xx/3xx count as success) or throws.</summary>
public delegate ValueTask<int> LoadOperation(long sequence, CancellationToken ct);

/// <summary>
/// Drives an operation open loop (fixed rate) or closed loop (fixed concurrency) and records latencies
/// in HdrHistograms (microseconds, 3 significant digits).
/// </summary>
/// <remarks>
/// Open loop follows wrk2: request <c>i</c> is due at <c>start + i / rate</c>; a pool of senders takes the
/// next due slot, waits for its time and sends. Latency counts from the due time, so when the server (or
/// the pool) stalls, every request that should have gone out meanwhile carries the stall in its latency
/// instead of silently not being sent. Timers tick in whole milliseconds, so a send may leave up to a
/// millisecond early (it then counts from when it left) or, when a timer fires late, a little late (that
/// lag counts, erring on the side of reporting slower).
/// </remarks>
public static class LoadRunner
{
    private const long MaxTrackableMicroseconds = 10L * 60 * 1_000_000;

    public static async Task<LoadReport> RunAsync(string target, LoadPlan plan, LoadOperation operation, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var recorder = new Recorder(plan.Mode == LoadMode.Rate);
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + ToTicks(plan.Warmup);
        var end = measureFrom + ToTicks(plan.Duration);
        long sequence = 0;

        Task[] senders;
        if (plan.Mode == LoadMode.Rate)
        {
            var interval = Stopwatch.Frequency / plan.Rate;
            long slot = -1;
            senders = Enumerable.Range(0, Math.Max(1, plan.MaxInFlight))
                .Select(_ => Task.Run(async () =>
                {
                    while (!ct.IsCancellationRequested)
                    {
                        var i = Interlocked.Increment(ref slot);
                        var due = start + (long)(i * interval);
                        if (due >= end)
                            return;
                        await WaitUntilAsync(due, ct);
                        var sent = Stopwatch.GetTimestamp();
                        var (status, error) = await InvokeAsync(operation, Interlocked.Increment(ref sequence), ct);
                        // A send that left late counts from its due time (the lag is the server's or the
                        // pool's fault, and hiding it is coordinated omission); one that left a fraction of
                        // a millisecond early (timer granularity) counts from when it left.
                        recorder.Record(due >= measureFrom, Math.Min(due, sent), sent, Stopwatch.GetTimestamp(), status, error);
                    }
                }, ct))
                .ToArray();
        }
        else
        {
            senders = Enumerable.Range(0, Math.Max(1, plan.Concurrency))
                .Select(_ => Task.Run(async () =>
                {
                    while (!ct.IsCancellationRequested)
                    {
                        var sent = Stopwatch.GetTimestamp();
                        if (sent >= end)
                            return;
                        var (status, error) = await InvokeAsync(operation, Interlocked.Increment(ref sequence), ct);
                        recorder.Record(sent >= measureFrom, sent, sent, Stopwatch.GetTimestamp(), status, error);
                    }
                }, ct))
                .ToArray();
        }

        await Task.WhenAll(senders);
        return recorder.Report(target, plan, measureFrom);
    }

    private static async Task<(int Status, string? Error)> InvokeAsync(LoadOperation operation, long sequence, CancellationToken ct)
    {
        try
        {
            return (await operation(sequence, ct), null);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (0, "timeout");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            return (0, ex.GetType().Name);
        }
    }

    private static async Task WaitUntilAsync(long due, CancellationToken ct)
    {
        // Timers tick in whole milliseconds and fire up to a tick late. Sleeping only whole ticks and
        // sending when less than one is left keeps sends within a millisecond of schedule without
        // spinning (spinning would take CPU from the server under test on a small machine).
        long remaining;
        while ((remaining = due - Stopwatch.GetTimestamp()) * 1000 >= Stopwatch.Frequency)
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Floor(remaining * 1000.0 / Stopwatch.Frequency)), ct);
    }

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private static long Microseconds(long ticks) =>
        Math.Clamp(ticks * 1_000_000 / Stopwatch.Frequency, 1, MaxTrackableMicroseconds);

    /// <summary>Counts and histograms shared by the senders; one lock, held for a few hundred nanoseconds.</summary>
    private sealed class Recorder(bool openLoop)
    {
        private readonly Lock gate = new();
        private readonly LongHistogram latency = new(1, MaxTrackableMicroseconds, 3);
        private readonly LongHistogram service = new(1, MaxTrackableMicroseconds, 3);
        private readonly Dictionary<string, long> errors = new(StringComparer.Ordinal);
        private long succeeded;
        private long failed;
        private long warmup;
        private long lastCompletion;

        public void Record(bool measured, long due, long sent, long done, int status, string? error)
        {
            lock (gate)
            {
                if (!measured)
                {
                    warmup++;
                    return;
                }

                latency.RecordValue(Microseconds(done - due));
                service.RecordValue(Microseconds(done - sent));
                lastCompletion = Math.Max(lastCompletion, done);
                if (error is null && status is >= 100 and < 400)
                {
                    succeeded++;
                    return;
                }

                failed++;
                var key = error ?? status.ToString(CultureInfo.InvariantCulture);
                errors[key] = errors.GetValueOrDefault(key) + 1;
            }
        }

        public LoadReport Report(string target, LoadPlan plan, long measureFrom)
        {
            lock (gate)
            {
                var elapsed = lastCompletion > measureFrom ? (lastCompletion - measureFrom) / (double)Stopwatch.Frequency : 0;
                var requests = succeeded + failed;
                return new LoadReport(
                    target,
                    openLoop ? "rate" : "concurrency",
                    openLoop ? plan.Rate : null,
                    openLoop ? null : plan.Concurrency,
                    plan.Duration.TotalSeconds,
                    Math.Round(elapsed, 3),
                    requests,
                    succeeded,
                    failed,
                    new SortedDictionary<string, long>(errors, StringComparer.Ordinal),
                    elapsed > 0 ? Math.Round(requests / elapsed, 1) : 0,
                    LatencySummary.From(latency),
                    openLoop ? LatencySummary.From(service) : null,
                    warmup);
            }
        }
    }
}
