using OpsDesk.Db.Tickets;

namespace OpsDesk.Db.Events;

/// <summary><c>ticket.priority_changed</c>: an agent set the priority. <see cref="From"/> is null when the ticket had none.</summary>
public sealed record PriorityChangedEvent(TicketPriority? From, TicketPriority To) : ITicketEvent
{
    public static string Type => EventTypes.PriorityChanged;
}
