namespace OpsDesk.Db.Tickets;

/// <summary>Ticket priorities as strings (<see cref="TicketPriority"/> defines them), P0 the most urgent.</summary>
public static class Priorities
{
    public static IReadOnlyList<string> All => WireNames.All<TicketPriority>();

    public static bool IsValid(string? value) => WireNames.TryParse<TicketPriority>(value, out _);
}
