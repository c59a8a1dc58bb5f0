namespace OpsDesk.Worker.Commands.Load;

/// <summary>Outcome of <c>opsdesk load classify</c>: the run's report, or why there was nothing to measure.</summary>
public sealed record ClassifyReport(bool Available, string? Reason, LoadReport? Result);
