namespace OpsDesk.Db.Tickets;

/// <summary>Ticket categories the triage can assign, as strings (<see cref="TicketCategory"/> defines them).</summary>
public static class Categories
{
    public static IReadOnlyList<string> All => WireNames.All<TicketCategory>();
}
