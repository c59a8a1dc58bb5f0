namespace OpsDesk.Db.Sla;

/// <summary>A <c>ticket.status_changed</c> or <c>ticket.priority_changed</c> event; <see cref="Value"/> is its payload's <c>to</c>.</summary>
public sealed class SlaChangeEvent
{
    public long Id { get; init; }
    public long TicketId { get; init; }
    public string Type { get; init; } = "";
    public string? Value { get; init; }
    public DateTime OccurredAt { get; init; }
}
