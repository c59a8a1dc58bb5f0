namespace OpsDesk.Worker.Commands.Triage;

/// <summary>The replay of one history: where it came from, and pass or fail with why.</summary>
public sealed record ReplayOutcome(string Source, string? WorkflowId, string? RunId, string? WorkflowType, int Events, bool Passed, string? Error);
