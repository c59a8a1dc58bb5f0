namespace OpsDesk.Db.Events;

/// <summary>
/// <c>ticket.comment_added</c>: a comment was written on the ticket. <see cref="AgentId"/> is the
/// author when <see cref="AuthorKind"/> is agent (null for requesters); a comment that is not
/// <see cref="Public"/> is an internal note and never reaches a requester-facing surface.
/// The body is not in the event (it stays in <c>ticket_comments</c>): events go to Kafka.
/// </summary>
public sealed record CommentAddedEvent(long CommentId, CommentAuthorKind AuthorKind, long? AgentId, bool Public) : ITicketEvent
{
    public static string Type => EventTypes.CommentAdded;
}
