using System.Text.Json.Serialization;

namespace OpsDesk.Db.Events;

/// <summary><c>sla.completed</c>: the ticket was resolved or closed and the clock stopped.</summary>
public sealed record SlaCompletedEvent : SlaEvent, ITicketEvent
{
    public static string Type => EventTypes.SlaCompleted;

    /// <summary><c>met</c> or <c>breached</c>.</summary>
    public string Outcome { get; init; } = "";

    /// <summary>The status change that ended it; absent when the clock found the ticket already closed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? CauseEventId { get; init; }
}
