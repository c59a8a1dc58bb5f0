using OpsDesk.Db.Tickets;

namespace OpsDesk.Db.Comments;

/// <summary>What <see cref="CommentRepository.AddAsync"/> did.</summary>
public enum AddCommentOutcome
{
    /// <summary>The comment, its <c>ticket.comment_added</c> event and any status change were committed together.</summary>
    Created,

    /// <summary>The idempotency key already made this comment with the same request: it is returned, nothing written.</summary>
    Replayed,

    /// <summary>The idempotency key already made a comment with a different request (or author): nothing written.</summary>
    KeyConflict,

    /// <summary>The status change is not allowed (or the ticket is closed): nothing written, no comment.</summary>
    InvalidTransition,

    NotFound,
}

/// <summary>The outcome, the comment (new or replayed), the ticket as it now is, and why a change was refused.</summary>
public sealed record AddCommentResult(AddCommentOutcome Outcome, CommentRow? Comment, TicketRow? Ticket, string? Reason = null);
