namespace OpsDesk.Db.Tickets;

/// <summary>A change an agent asks for; null members stay as they are.</summary>
/// <param name="Status">New status: open, pending, resolved or closed.</param>
/// <param name="Priority">New priority: P0–P3.</param>
public sealed record TicketChange(string? Status, string? Priority)
{
    /// <summary>Whether the assignee is set (to <see cref="AssigneeId"/>, null meaning nobody).</summary>
    public bool SetsAssignee { get; init; }

    /// <summary>The agent to assign (active), or null to unassign; used when <see cref="SetsAssignee"/>.</summary>
    public long? AssigneeId { get; init; }

    /// <summary>The whole new set of tags (validated slugs), or null to keep the current set.</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>Tags to add (after <see cref="Tags"/>, if given).</summary>
    public IReadOnlyList<string> AddTags { get; init; } = [];

    /// <summary>Tags to remove (after the additions).</summary>
    public IReadOnlyList<string> RemoveTags { get; init; } = [];
}
