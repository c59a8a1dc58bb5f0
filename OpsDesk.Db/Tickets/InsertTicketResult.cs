namespace OpsDesk.Db.Tickets;

/// <summary>What an insert with an optional idempotency key did.</summary>
public enum InsertOutcome
{
    /// <summary>A new ticket and its <c>ticket.created</c> event were committed.</summary>
    Created,

    /// <summary>The key was used before with the same request: the original ticket is returned.</summary>
    Replayed,

    /// <summary>The key was used before with a different request: nothing was written.</summary>
    KeyConflict,
}

public sealed record InsertTicketResult(InsertOutcome Outcome, TicketRow Ticket);
