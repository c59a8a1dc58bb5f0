using OpsDesk.Db;
using OpsDesk.Db.Events;
using OpsDesk.Db.Tickets;

namespace OpsDesk.Api.Tickets;

/// <summary>A ticket as the API shows it in lists and on create.</summary>
public class TicketResponse
{
    public TicketResponse()
    {
    }

    public TicketResponse(TicketRow row)
    {
        Id = row.Id;
        Subject = row.Subject;
        Description = row.Description;
        Source = row.Source;
        RequesterEmail = row.RequesterEmail;
        Status = row.Status;
        Category = row.Category;
        Priority = row.Priority;
        TriageStatus = row.TriageStatus;
        Sla = row.SlaDueAt is null && row.SlaState is null ? null : new SlaResponse(
            UtcTime.Offset(row.SlaDueAt),
            UtcTime.Offset(row.SlaWarningAt),
            row.SlaState,
            SlaTargetResponse.Of(row.SlaFirstResponseDueAt, row.SlaFirstResponseWarningAt, row.SlaFirstResponseState),
            SlaTargetResponse.Of(row.SlaResolutionDueAt, row.SlaResolutionWarningAt, row.SlaResolutionState));
        CreatedAt = UtcTime.Offset(row.CreatedAt);
        UpdatedAt = UtcTime.Offset(row.UpdatedAt);
        AssigneeId = row.AssigneeId;
        Tags = row.Tags;
        AwaitingAgent = row.LastPublicCommentBy == WireNames.Of(CommentAuthorKind.Requester);
    }

    public long Id { get; init; }
    public string Subject { get; init; } = "";
    public string Description { get; init; } = "";
    public string Source { get; init; } = "";
    public string? RequesterEmail { get; init; }
    public string Status { get; init; } = "";
    public string? Category { get; init; }
    public string? Priority { get; init; }
    public string TriageStatus { get; init; } = "";

    /// <summary>The SLA clocks as last written by the SLA workflow; null until it starts.</summary>
    public SlaResponse? Sla { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The agent the ticket is assigned to; null when unassigned.</summary>
    public long? AssigneeId { get; init; }

    /// <summary>Lower-case slugs, sorted.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>True when the last public comment is the requester's (the ticket awaits an agent).</summary>
    public bool AwaitingAgent { get; init; }
}

/// <summary>
/// SLA of a ticket. <see cref="DueAt"/>, <see cref="WarningAt"/>, <see cref="State"/>: the most urgent target still
/// running (the worst state over both targets: running, warned, breached, paused, completed). Per target:
/// <see cref="FirstResponse"/> (null for a clock started before there were two targets) and <see cref="Resolution"/>.
/// </summary>
public sealed record SlaResponse(DateTimeOffset? DueAt, DateTimeOffset? WarningAt, string? State, SlaTargetResponse? FirstResponse, SlaTargetResponse? Resolution);
