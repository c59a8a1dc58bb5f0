namespace OpsDesk.Db.Tickets;

/// <summary>Values of <c>tickets.status</c>.</summary>
public static class TicketStatuses
{
    public const string Open = "open";
    public const string Pending = "pending";
    public const string Resolved = "resolved";
    public const string Closed = "closed";

    public static readonly IReadOnlyList<string> All = [Open, Pending, Resolved, Closed];
}
