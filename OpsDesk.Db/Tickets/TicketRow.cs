namespace OpsDesk.Db.Tickets;

/// <summary>A row of <c>tickets</c>. Timestamps are UTC.</summary>
public sealed class TicketRow
{
    public long Id { get; init; }
    public string Subject { get; init; } = "";
    public string Description { get; init; } = "";
    public string Source { get; init; } = "";
    public string? RequesterEmail { get; init; }
    public string Status { get; init; } = TicketStatuses.Open;
    public string? Category { get; init; }
    public string? Priority { get; init; }
    public string TriageStatus { get; init; } = TriageStatuses.Queued;
    public DateTime? SlaDueAt { get; init; }
    public DateTime? SlaWarningAt { get; init; }
    public string? SlaState { get; init; }
    public DateTime? SlaFirstResponseDueAt { get; init; }
    public DateTime? SlaFirstResponseWarningAt { get; init; }
    public string? SlaFirstResponseState { get; init; }
    public DateTime? SlaResolutionDueAt { get; init; }
    public DateTime? SlaResolutionWarningAt { get; init; }
    public string? SlaResolutionState { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }

    /// <summary>The agent the ticket is assigned to; null when unassigned.</summary>
    public long? AssigneeId { get; init; }

    /// <summary>Lower-case slugs, sorted.</summary>
    public string[] Tags { get; init; } = [];

    /// <summary>agent or requester: who wrote the last public comment; null before the first.</summary>
    public string? LastPublicCommentBy { get; init; }
}
