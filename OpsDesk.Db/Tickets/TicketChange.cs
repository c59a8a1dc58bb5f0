namespace OpsDesk.Db.Tickets;

/// <summary>A change an agent asks for; null members stay as they are.</summary>
/// <param name="Status">New status: open, pending, resolved or closed.</param>
/// <param name="Priority">New priority: P0–P3.</param>
public sealed record TicketChange(string? Status, string? Priority);
