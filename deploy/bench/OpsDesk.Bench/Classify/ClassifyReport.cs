using OpsDesk.Bench.Measuring;

namespace OpsDesk.Bench.Classify;

/// <summary>Outcome of <c>opsdesk-bench classify</c>: the run's report, or why there was nothing to measure.</summary>
public sealed record ClassifyReport(bool Available, string? Reason, LoadReport? Result);
