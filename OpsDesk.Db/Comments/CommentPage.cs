namespace OpsDesk.Db.Comments;

/// <summary>One page of a conversation, oldest first. <see cref="NextAfterId"/> is null on the last page.</summary>
public sealed record CommentPage(IReadOnlyList<CommentRow> Items, long? NextAfterId);
