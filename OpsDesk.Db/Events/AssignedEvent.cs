namespace OpsDesk.Db.Events;

/// <summary><c>ticket.assigned</c>: the assignee changed; either side is an agent id, or null for nobody.</summary>
public sealed record AssignedEvent(long? From, long? To) : ITicketEvent
{
    public static string Type => EventTypes.Assigned;
}
