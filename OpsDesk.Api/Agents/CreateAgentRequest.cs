namespace OpsDesk.Api.Agents;

/// <summary>Body of <c>POST /api/admin/agents</c>.</summary>
/// <param name="Name">1–100 characters without control characters; unique among agents.</param>
/// <param name="Role">agent or admin.</param>
/// <param name="Email">Optional contact address.</param>
/// <param name="JwtSubject">Optional JWT <c>sub</c> claim that signs in as this agent; unique.</param>
/// <remarks>The defaults mark the optional members in the OpenAPI schema.</remarks>
public sealed record CreateAgentRequest(string? Name, string? Role, string? Email = null, string? JwtSubject = null);
