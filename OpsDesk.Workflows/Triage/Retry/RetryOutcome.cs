namespace OpsDesk.Workflows.Triage.Retry;

/// <summary>What <c>triage retry</c> did, or under --dry-run would do, for one ticket.</summary>
/// <param name="Outcome">started, would_start, skipped or error.</param>
/// <param name="Reason">Why it was skipped (running, already completed, no such ticket) or what went wrong.</param>
public sealed record RetryOutcome(
    long TicketId,
    string Outcome,
    string? Reason,
    string? PreviousRunId,
    string? PreviousStatus,
    string? RunId,
    string? Url)
{
    public const string Started = "started";
    public const string WouldStart = "would_start";
    public const string Skipped = "skipped";
    public const string Error = "error";

    public const string SkipRunning = "running";
    public const string SkipCompleted = "already completed";
    public const string SkipNoTicket = "no such ticket";
}
