namespace OpsDesk.Db.Resilience;

/// <summary>
/// The one retry pacing of OpsDesk's loops: capped exponential backoff with jitter. Each
/// <see cref="Next"/> after a failure returns the wait (initial, 2×, 4×, … up to max, each shortened by
/// up to <c>jitter</c> so replicas do not retry in step); <see cref="Reset"/> after a success.
/// Not thread-safe: one instance per loop.
/// </summary>
public sealed class Backoff
{
    private readonly TimeSpan initial;
    private readonly TimeSpan max;
    private readonly double jitter;
    private TimeSpan current;

    /// <param name="jitter">Fraction (0–1) by which a wait may be shortened at random; 0 for exact waits.</param>
    public Backoff(TimeSpan initial, TimeSpan max, double jitter = 0.2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initial, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, initial);
        ArgumentOutOfRangeException.ThrowIfLessThan(jitter, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(jitter, 1);
        this.initial = initial;
        this.max = max;
        this.jitter = jitter;
    }

    /// <summary>Failures since the last <see cref="Reset"/>.</summary>
    public int Failures { get; private set; }

    /// <summary>Records a failure and returns how long to wait before the next try.</summary>
    public TimeSpan Next()
    {
        current = Failures == 0 ? initial : TimeSpan.FromTicks(Math.Min(current.Ticks * 2, max.Ticks));
        Failures++;
        return jitter == 0 ? current : TimeSpan.FromTicks((long)(current.Ticks * (1 - (jitter * Random.Shared.NextDouble()))));
    }

    /// <summary>Records a failure and waits; throws <see cref="OperationCanceledException"/> when <paramref name="ct"/> fires.</summary>
    public Task DelayAsync(CancellationToken ct) => Task.Delay(Next(), ct);

    /// <summary>After a success: the next failure waits <c>initial</c> again.</summary>
    public void Reset()
    {
        Failures = 0;
        current = TimeSpan.Zero;
    }
}
