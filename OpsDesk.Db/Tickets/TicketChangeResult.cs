namespace OpsDesk.Db.Tickets;

/// <summary>What <see cref="TicketChangeRepository.ChangeAsync"/> did.</summary>
public enum TicketChangeOutcome
{
    /// <summary>At least one field changed; its events were written with it.</summary>
    Changed,

    /// <summary>The ticket already had the asked-for values: nothing was written.</summary>
    Unchanged,

    /// <summary>The status transition (or a change of a closed ticket) is not allowed.</summary>
    InvalidTransition,

    /// <summary>The assignee is not an active agent: nothing was written.</summary>
    InvalidAssignee,

    /// <summary>The tags would exceed <see cref="TicketTags.MaxPerTicket"/>: nothing was written.</summary>
    TooManyTags,

    NotFound,
}

/// <summary>The outcome, the ticket as it now is (null when not found) and, for a refused change, why.</summary>
public sealed record TicketChangeResult(TicketChangeOutcome Outcome, TicketRow? Ticket, string? Reason = null);
