namespace OpsDesk.Db.Triage;

/// <summary>What the triage needs to know about a ticket. Text fields are for the classifier only.</summary>
public sealed class TriageTicket
{
    public long Id { get; init; }
    public string Subject { get; init; } = "";
    public string Description { get; init; } = "";
    public string Source { get; init; } = "";
    public string Status { get; init; } = "";
    public string TriageStatus { get; init; } = "";
    public string? Priority { get; init; }
    public string? Category { get; init; }
    public DateTime CreatedAt { get; init; }
}
