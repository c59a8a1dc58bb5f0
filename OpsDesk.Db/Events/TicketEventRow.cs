namespace OpsDesk.Db.Events;

/// <summary>A row of <c>ticket_events</c>. <see cref="Payload"/> is raw JSON text.</summary>
public sealed class TicketEventRow
{
    public long Id { get; init; }
    public long TicketId { get; init; }
    public string Type { get; init; } = "";
    public string Payload { get; init; } = "{}";
    public string? DedupeKey { get; init; }
    public DateTime OccurredAt { get; init; }
    public DateTime? PublishedAt { get; init; }
}
