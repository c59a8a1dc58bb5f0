using OpsDesk.Db.Auth;

namespace OpsDesk.Db.Agents;

/// <summary>The roles an agent can have: the staff roles of <see cref="ApiKeyRoles"/>.</summary>
public static class AgentRoles
{
    public static IReadOnlyList<string> All { get; } = [ApiKeyRoles.Agent, ApiKeyRoles.Admin];

    public static bool IsValid(string? role) => role is ApiKeyRoles.Agent or ApiKeyRoles.Admin;
}
