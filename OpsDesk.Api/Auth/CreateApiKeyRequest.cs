namespace OpsDesk.Api.Auth;

/// <summary>Body of <c>POST /api/admin/keys</c>.</summary>
/// <param name="Name">1–100 printable characters; unique among active keys.</param>
/// <param name="Role">requester, agent or admin.</param>
/// <param name="AgentId">For agent and admin keys: the agent the key belongs to (active, same role). Without it, the agent named like the key (created when missing).</param>
public sealed record CreateApiKeyRequest(string? Name, string? Role, long? AgentId = null);
