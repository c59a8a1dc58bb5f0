using OpsDesk.Db.Tickets;

namespace OpsDesk.Db.Events;

/// <summary><c>ticket.created</c>: the new ticket without its description or the requester's email (the stream is not a copy of PII).</summary>
public sealed record TicketCreatedEvent(
    long TicketId,
    string Subject,
    string Source,
    TicketStatus Status,
    TriageStatus TriageStatus,
    bool HasRequesterEmail) : ITicketEvent
{
    public static string Type => EventTypes.TicketCreated;
}
