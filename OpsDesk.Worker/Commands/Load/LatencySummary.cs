using HdrHistogram;

namespace OpsDesk.Worker.Commands.Load;

/// <summary>Latency percentiles in milliseconds.</summary>
public sealed record LatencySummary(double P50, double P90, double P99, double P999, double Max, double Mean)
{
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
