using OpsDesk.Db;
using OpsDesk.Db.Comments;

namespace OpsDesk.Api.Comments;

/// <summary>A comment: a public reply, or (for agents and admins only) an internal note.</summary>
public class CommentResponse
{
    public CommentResponse()
    {
    }

    public CommentResponse(CommentRow row)
    {
        Id = row.Id;
        TicketId = row.TicketId;
        AuthorKind = row.AuthorKind;
        AgentId = row.AuthorAgentId;
        Public = row.Public;
        Body = row.Body;
        CreatedAt = UtcTime.Offset(row.CreatedAt);
    }

    public long Id { get; init; }
    public long TicketId { get; init; }

    /// <summary>agent or requester.</summary>
    public string AuthorKind { get; init; } = "";

    /// <summary>The agent who wrote it; null for requesters.</summary>
    public long? AgentId { get; init; }

    /// <summary>false for an internal note.</summary>
    public bool Public { get; init; }
    public string Body { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A comment just written (or replayed), with the ticket's status after it (a requester's reply reopens, an agent's may set one).</summary>
public sealed class CreatedCommentResponse : CommentResponse
{
    public CreatedCommentResponse()
    {
    }

    public CreatedCommentResponse(CommentRow row, string ticketStatus)
        : base(row) => TicketStatus = ticketStatus;

    public string TicketStatus { get; init; } = "";
}

/// <summary>A page of a conversation, oldest first. Pass <see cref="NextCursor"/> as <c>cursor</c> for the next page; null on the last one.</summary>
public sealed record CommentPageResponse(IReadOnlyList<CommentResponse> Items, string? NextCursor);
