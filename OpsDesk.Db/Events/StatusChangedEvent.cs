using OpsDesk.Db.Tickets;

namespace OpsDesk.Db.Events;

/// <summary><c>ticket.status_changed</c>: an agent moved the ticket from one status to another.</summary>
public sealed record StatusChangedEvent(TicketStatus From, TicketStatus To) : ITicketEvent
{
    public static string Type => EventTypes.StatusChanged;
}
