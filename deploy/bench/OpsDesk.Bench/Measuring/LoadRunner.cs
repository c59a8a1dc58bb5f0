using System.Diagnostics;
using System.Globalization;
using HdrHistogram;

namespace OpsDesk.Bench.Measuring;

/// <summary>One request of a load run: returns its HTTP status code (2xx/3xx count as success) or throws.</summary>
public delegate ValueTask<int> LoadOperation(long sequence, CancellationToken ct);

/// <summary>
/// Drives an operation open loop (fixed rate) or closed loop (fixed concurrency) and records latencies
/// in HdrHistograms (microseconds, 3 significant digits).
/// </summary>
/// <remarks>
/// Open loop follows wrk2: request <c>i</c> is due at <c>start + i / rate</c>; a pacer thread sleeps until
/// each due time and starts the request. Latency counts from the due time, so when the server stalls
/// (all in-flight slots busy), every request that should have gone out meanwhile carries the stall in
/// its latency instead of silently not being sent. The pacer sleeps with sub-millisecond precision, so
/// the generator's own wake-up lag (a few tens of microseconds) stays out of the figures.
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
            senders = [RunOpenLoopAsync(plan, operation, recorder, start, measureFrom, end, () => Interlocked.Increment(ref sequence), ct)];
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

    /// <summary>Runs one request: its status, or 0 and the error's name (a client-side timeout is "timeout").</summary>
    internal static async Task<(int Status, string? Error)> InvokeAsync(LoadOperation operation, long sequence, CancellationToken ct)
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

    /// <summary>
    /// One pacer thread sleeps until each request's due time (sub-millisecond, see <see cref="PreciseSleep"/>)
    /// and starts it without waiting for the answer; at most <c>MaxInFlight</c> are outstanding. When
    /// that many are, the pacer waits for a free slot and the request leaves late: its latency still
    /// counts from its due time, so a stalled server is charged for every request it held back.
    /// </summary>
    private static Task RunOpenLoopAsync(LoadPlan plan, LoadOperation operation, Recorder recorder, long start, long measureFrom, long end, Func<long> nextSequence, CancellationToken ct)
    {
        var interval = Stopwatch.Frequency / (double)plan.Rate;
        var slots = new SemaphoreSlim(Math.Max(1, plan.MaxInFlight));
        var outstanding = new List<Task>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pacer = new Thread(() =>
        {
            try
            {
                for (long i = 0; !ct.IsCancellationRequested; i++)
                {
                    var due = start + (long)(i * interval);
                    if (due >= end)
                        break;
                    PreciseSleep.Until(due);
                    slots.Wait(ct);
                    outstanding.Add(SendAsync(due));
                }

                Task.WhenAll(outstanding).ContinueWith(_ =>
                {
                    slots.Dispose(); // every send has released its slot
                    done.TrySetResult();
                }, TaskScheduler.Default);
            }
            catch (OperationCanceledException)
            {
                done.TrySetCanceled(ct);
            }
        })
        {
            IsBackground = true,
            Name = "load pacer",
        };
        pacer.Start();
        return done.Task;

        async Task SendAsync(long due)
        {
            try
            {
                var sent = Stopwatch.GetTimestamp();
                var (status, error) = await InvokeAsync(operation, nextSequence(), ct);
                recorder.Record(due >= measureFrom, Math.Min(due, sent), sent, Stopwatch.GetTimestamp(), status, error);
            }
            finally
            {
                slots.Release();
            }
        }
    }

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    /// <summary>What counts as a success: an answer below 400.</summary>
    internal static bool Succeeded(int status, string? error) => error is null && status is >= 100 and < 400;

    /// <summary>A duration in Stopwatch ticks as whole microseconds, within what the histograms track.</summary>
    internal static long Microseconds(long ticks) =>
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
                if (Succeeded(status, error))
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
