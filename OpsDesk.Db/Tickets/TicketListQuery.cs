namespace OpsDesk.Db.Tickets;

/// <summary>Filters and keyset position of a ticket list page. Null means "any". CreatedBy* scope a requester to its own tickets.</summary>
public sealed record TicketListQuery(
    string? Status = null,
    string? Priority = null,
    string? Category = null,
    string? Source = null,
    string? Search = null,
    int Limit = 25,
    long? BeforeId = null,
    long? CreatedByKeyId = null,
    string? CreatedBySubject = null)
{
    /// <summary>Only tickets assigned to this agent.</summary>
    public long? AssigneeId { get; init; }

    /// <summary>Only tickets assigned to nobody.</summary>
    public bool Unassigned { get; init; }

    /// <summary>Only tickets carrying this tag.</summary>
    public string? Tag { get; init; }

    /// <summary>Only tickets in this SLA state: warned or breached.</summary>
    public string? SlaState { get; init; }

    /// <summary>Only tickets whose last public comment is the requester's.</summary>
    public bool AwaitingAgent { get; init; }
}

/// <summary>One page, newest first. <see cref="NextBeforeId"/> is null on the last page.</summary>
public sealed record TicketPage(IReadOnlyList<TicketRow> Items, long? NextBeforeId);
