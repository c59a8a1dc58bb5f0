namespace OpsDesk.Api.Auth;

/// <summary>Claim types on every OpsDesk principal, whichever scheme made it.</summary>
public static class AuthClaims
{
    public const string Role = "role";
    public const string KeyId = "opsdesk:key_id";

    /// <summary>For JWT callers: issuer and subject, which together identify the owner of the tickets they create.</summary>
    public const string Owner = "opsdesk:owner";
    public const string Name = "name";

    /// <summary>The agent (<c>agents.id</c>) behind the credentials: an agent or admin key's agent, or the agent a JWT subject maps to.</summary>
    public const string AgentId = "opsdesk:agent_id";
}
