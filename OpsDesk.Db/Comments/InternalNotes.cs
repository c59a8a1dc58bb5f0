using OpsDesk.Db.Auth;

namespace OpsDesk.Db.Comments;

/// <summary>
/// The one rule of internal notes (comments with <c>public = false</c>): agents and admins see them;
/// every requester-facing read (comments, ticket detail, timeline) leaves them and their
/// <c>ticket.comment_added</c> events out.
/// </summary>
public static class InternalNotes
{
    /// <summary>SQL predicate over <c>ticket_events</c> matching the events of internal notes.</summary>
    internal const string EventSql = """(type = 'ticket.comment_added' AND payload @> '{"public": false}')""";

    public static bool VisibleTo(string? role) => role is ApiKeyRoles.Agent or ApiKeyRoles.Admin;
}
