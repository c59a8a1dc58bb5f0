using HdrHistogram;

namespace OpsDesk.Bench.Measuring;

/// <summary>Latency percentiles in milliseconds.</summary>
public sealed record LatencySummary(double P50, double P90, double P99, double P999, double Max, double Mean)
{
    /// <summary>A histogram of microseconds up to 30 minutes, 3 significant digits: what <see cref="From"/> summarises.</summary>
    public static LongHistogram NewHistogram() => new(TimeSpan.FromMinutes(30).Ticks / 10, 3);

    /// <summary>Summarises a histogram recorded in microseconds.</summary>
    public static LatencySummary From(HistogramBase microseconds)
    {
        if (microseconds.TotalCount == 0)
            return new LatencySummary(0, 0, 0, 0, 0, 0);
        return new LatencySummary(
            Ms(microseconds.GetValueAtPercentile(50)),
            Ms(microseconds.GetValueAtPercentile(90)),
            Ms(microseconds.GetValueAtPercentile(99)),
            Ms(microseconds.GetValueAtPercentile(99.9)),
            Ms(microseconds.GetMaxValue()),
            Math.Round(microseconds.GetMean() / 1000.0, 3));
    }

    private static double Ms(long microseconds) => Math.Round(microseconds / 1000.0, 3);
}
