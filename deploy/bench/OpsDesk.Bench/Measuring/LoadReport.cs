namespace OpsDesk.Bench.Measuring;

/// <summary>The outcome of one load run. Counts and latencies cover the measured window only (not the warm-up).</summary>
/// <param name="Requests">Requests that completed (with any outcome) in the measured window.</param>
/// <param name="Errors">Failed requests by HTTP status code, or by exception name when no response came back.</param>
/// <param name="Throughput">Completed requests per second of measured time.</param>
/// <param name="Latency">Open loop: from the intended send time, so stalls are not hidden (no coordinated
/// omission). Closed loop: from the actual send time.</param>
/// <param name="ServiceTime">Open loop only: from the actual send time to the answer.</param>
public sealed record LoadReport(
    string Target,
    string Mode,
    double? Rate,
    int? Concurrency,
    double DurationSeconds,
    double ElapsedSeconds,
    long Requests,
    long Succeeded,
    long Failed,
    IReadOnlyDictionary<string, long> Errors,
    double Throughput,
    LatencySummary Latency,
    LatencySummary? ServiceTime,
    long WarmupRequests);
