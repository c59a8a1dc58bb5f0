using OpsDesk.Db.Events;

namespace OpsDesk.Db.Comments;

/// <summary>A validated comment to add.</summary>
/// <param name="AgentId">The author when <paramref name="AuthorKind"/> is agent (null for requesters or an unmapped JWT).</param>
/// <param name="Status">A status an agent's public reply sets in the same transaction; null to keep it.</param>
/// <param name="RequestHash">Hash of the normalised request and its author, stored with the idempotency key.</param>
public sealed record NewComment(
    long TicketId,
    CommentAuthorKind AuthorKind,
    long? AgentId,
    bool Public,
    string Body,
    string? Status,
    string? IdempotencyKey,
    byte[]? RequestHash);
