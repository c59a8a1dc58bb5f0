namespace OpsDesk.Db.Comments;

/// <summary>A row of <c>ticket_comments</c>. A comment that is not <see cref="Public"/> is an internal note. Timestamps are UTC.</summary>
public sealed class CommentRow
{
    public long Id { get; init; }
    public long TicketId { get; init; }

    /// <summary>agent or requester.</summary>
    public string AuthorKind { get; init; } = "";
    public long? AuthorAgentId { get; init; }
    public bool Public { get; init; }
    public string Body { get; init; } = "";
    public DateTime CreatedAt { get; init; }
}
