namespace OpsDesk.Api.Tickets;

/// <summary>Body of <c>POST /api/tickets</c>.</summary>
/// <param name="Subject">1–200 characters after trimming.</param>
/// <param name="Description">1–10,000 characters after trimming.</param>
/// <param name="Source">One of web, email, api, chat, phone.</param>
/// <param name="RequesterEmail">Optional contact address.</param>
/// <remarks>The default marks RequesterEmail optional in the OpenAPI schema; a missing member was already read as null.</remarks>
public sealed record CreateTicketRequest(string? Subject, string? Description, string? Source, string? RequesterEmail = null);
