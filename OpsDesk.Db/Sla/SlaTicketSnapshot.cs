namespace OpsDesk.Db.Sla;

/// <summary>
/// What the SLA clock needs of a ticket, read in one consistent snapshot: the ticket, its status
/// history (to rebuild pauses), which SLA events already exist, the newest change event id
/// the snapshot includes (changes up to it are already reflected here; agents' public comments
/// count as changes) and when the first public agent comment was written, if one was.
/// </summary>
public sealed record SlaTicketSnapshot(
    long TicketId,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    string Status,
    string? Priority,
    IReadOnlyList<SlaStatusChange> StatusChanges,
    IReadOnlyList<string> SlaEventKeys,
    long LastChangeEventId,
    DateTime? FirstPublicAgentCommentAt = null);

/// <summary>One <c>ticket.status_changed</c> event: the status entered and when.</summary>
public sealed record SlaStatusChange(long EventId, string To, DateTime OccurredAt);
