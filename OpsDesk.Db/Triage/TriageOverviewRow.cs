namespace OpsDesk.Db.Triage;

/// <summary>What <c>opsdesk triage show</c> reads from the database about one ticket.</summary>
public sealed class TriageOverviewRow
{
    public long TicketId { get; init; }
    public string Subject { get; init; } = "";
    public string Source { get; init; } = "";
    public string Status { get; init; } = "";
    public string TriageStatus { get; init; } = "";
    public string? Priority { get; init; }
    public string? Category { get; init; }
    public string? SlaState { get; init; }
    public DateTime? SlaDueAt { get; init; }
    public DateTime? SlaWarningAt { get; init; }
    public string? FailureReason { get; init; }
    public string? FailureMessage { get; init; }
    public int? FailureAttempts { get; init; }
    public string? FailureRunId { get; init; }
    public DateTime? FailedAt { get; init; }
    public int Retries { get; init; }
    public DateTime? LastRetriedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
}
