namespace OpsDesk.Db.Tickets;

/// <summary>Ticket priorities, P0 the most urgent.</summary>
public static class Priorities
{
    public static readonly IReadOnlyList<string> All = ["P0", "P1", "P2", "P3"];

    public static bool IsValid(string? value) => value is not null && All.Contains(value, StringComparer.Ordinal);
}
