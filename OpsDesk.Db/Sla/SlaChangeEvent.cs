namespace OpsDesk.Db.Sla;

/// <summary>
/// A <c>ticket.status_changed</c> or <c>ticket.priority_changed</c> event (<see cref="Value"/> is its
/// payload's <c>to</c>), or a ticket's first public <c>ticket.comment_added</c> by an agent
/// (<see cref="Value"/> is <c>agent</c>, its <c>authorKind</c>).
/// </summary>
public sealed class SlaChangeEvent
{
    public long Id { get; init; }
    public long TicketId { get; init; }
    public string Type { get; init; } = "";
    public string? Value { get; init; }
    public DateTime OccurredAt { get; init; }
}
