namespace OpsDesk.Api.Auth;

/// <summary>Body of <c>POST /api/admin/keys</c>.</summary>
/// <param name="Name">1–100 printable characters; unique among active keys.</param>
/// <param name="Role">requester, agent or admin.</param>
public sealed record CreateApiKeyRequest(string? Name, string? Role);
