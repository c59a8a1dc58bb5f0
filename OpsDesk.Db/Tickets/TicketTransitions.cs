namespace OpsDesk.Db.Tickets;

/// <summary>
/// The ticket status state machine. open and pending move freely between each other and to
/// resolved or closed; resolved can reopen (open) or close; closed is terminal.
/// </summary>
public static class TicketTransitions
{
    public static bool IsAllowed(string from, string to) => (from, to) switch
    {
        _ when from == to => true,
        (TicketStatuses.Open, TicketStatuses.Pending or TicketStatuses.Resolved or TicketStatuses.Closed) => true,
        (TicketStatuses.Pending, TicketStatuses.Open or TicketStatuses.Resolved or TicketStatuses.Closed) => true,
        (TicketStatuses.Resolved, TicketStatuses.Open or TicketStatuses.Closed) => true,
        _ => false,
    };

    /// <summary>A closed ticket takes no further changes, priority included.</summary>
    public static bool IsTerminal(string status) => status == TicketStatuses.Closed;
}
