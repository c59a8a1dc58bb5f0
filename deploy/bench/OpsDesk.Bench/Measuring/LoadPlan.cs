namespace OpsDesk.Bench.Measuring;

/// <summary>How a load run paces its requests.</summary>
public enum LoadMode
{
    /// <summary>Open loop: a fixed arrival rate, whatever the server does; latency counts from the intended send time.</summary>
    Rate,

    /// <summary>Closed loop: a fixed number of callers, each sending its next request when the last one answered.</summary>
    Concurrency,
}

/// <summary>What a load run does: pacing, length and the warm-up left out of the figures.</summary>
/// <param name="Rate">Requests per second (open loop).</param>
/// <param name="Concurrency">Callers (closed loop).</param>
/// <param name="MaxInFlight">Open loop only: the most requests outstanding at once. When all are busy, later
/// requests leave late and the delay counts in their latency.</param>
public sealed record LoadPlan(LoadMode Mode, double Rate, int Concurrency, TimeSpan Duration, TimeSpan Warmup, int MaxInFlight)
{
    public static LoadPlan OpenLoop(double rate, TimeSpan duration, TimeSpan warmup = default, int maxInFlight = 256) =>
        new(LoadMode.Rate, rate, 0, duration, warmup, maxInFlight);

    public static LoadPlan ClosedLoop(int concurrency, TimeSpan duration, TimeSpan warmup = default) =>
        new(LoadMode.Concurrency, 0, concurrency, duration, warmup, concurrency);
}
