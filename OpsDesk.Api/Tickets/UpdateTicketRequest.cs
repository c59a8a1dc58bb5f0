namespace OpsDesk.Api.Tickets;

/// <summary>Body of <c>PATCH /api/tickets/{id}</c>: at least one member.</summary>
/// <param name="Status">open, pending, resolved or closed.</param>
/// <param name="Priority">P0, P1, P2 or P3.</param>
/// <remarks>The defaults mark both optional in the OpenAPI schema; a missing member was already read as null.</remarks>
public sealed record UpdateTicketRequest(string? Status = null, string? Priority = null);
