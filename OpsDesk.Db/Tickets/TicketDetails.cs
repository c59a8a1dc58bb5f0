using OpsDesk.Db.Events;

namespace OpsDesk.Db.Tickets;

/// <summary>A ticket with its AI result (null until triaged) and its timeline, oldest first.</summary>
public sealed record TicketDetails(TicketRow Ticket, TicketAiRow? Ai, IReadOnlyList<TicketEventRow> Events);
