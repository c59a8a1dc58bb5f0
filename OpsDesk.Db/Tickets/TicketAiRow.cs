namespace OpsDesk.Db.Tickets;

/// <summary>A row of <c>ticket_ai</c>: the triage result. JSON columns are raw JSON text.</summary>
public sealed class TicketAiRow
{
    public long TicketId { get; init; }
    public string Summary { get; init; } = "";
    public string Category { get; init; } = "";
    public string Priority { get; init; } = "";
    public string Entities { get; init; } = "[]";
    public string Citations { get; init; } = "[]";
    public float? Confidence { get; init; }
    public string? Language { get; init; }
    public string? Sentiment { get; init; }
    public string Provider { get; init; } = "";
    public string? Model { get; init; }
    public string? PromptVersion { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
}
