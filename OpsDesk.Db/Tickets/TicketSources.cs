namespace OpsDesk.Db.Tickets;

/// <summary>Values of <c>tickets.source</c>: where a ticket came in.</summary>
public static class TicketSources
{
    public static readonly IReadOnlyList<string> All = ["web", "email", "api", "chat", "phone"];
}
