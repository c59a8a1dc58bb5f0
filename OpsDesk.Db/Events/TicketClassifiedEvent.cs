using OpsDesk.Db.Tickets;

namespace OpsDesk.Db.Events;

/// <summary><c>ticket.classified</c>: what the triage decided. <see cref="Priority"/> is the one in force (an agent's earlier choice wins over <see cref="SuggestedPriority"/>).</summary>
/// <param name="Confidence">Rounded to three decimals.</param>
public sealed record TicketClassifiedEvent(
    TicketCategory Category,
    TicketPriority Priority,
    TicketPriority SuggestedPriority,
    double Confidence,
    string Language,
    string Sentiment,
    string Provider,
    string? Model,
    string PromptVersion) : ITicketEvent
{
    public static string Type => EventTypes.TicketClassified;
}
