using System.Text.Json.Serialization;
using OpsDesk.Db.Tickets;

namespace OpsDesk.Db.Events;

/// <summary><c>sla.recalculated</c>: the deadline moved because the clock resumed or the priority changed.</summary>
public sealed record SlaRecalculatedEvent : SlaEvent, ITicketEvent
{
    public static string Type => EventTypes.SlaRecalculated;

    /// <summary><c>resumed</c> or <c>priority_changed</c>.</summary>
    public string Reason { get; init; } = "";

    public DateTime PreviousDueAt { get; init; }

    /// <summary>After a priority change: the priority before; absent otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TicketPriority? PreviousPriority { get; init; }

    /// <summary>The change event that caused it.</summary>
    public long CauseEventId { get; init; }
}
