namespace OpsDesk.Db.Events;

/// <summary><c>sla.breached</c>: the deadline passed.</summary>
public sealed record SlaBreachedEvent : SlaEvent, ITicketEvent
{
    public static string Type => EventTypes.SlaBreached;
}
