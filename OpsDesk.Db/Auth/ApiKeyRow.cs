namespace OpsDesk.Db.Auth;

/// <summary>A row of <c>api_keys</c>. Timestamps are UTC. <see cref="KeyHash"/> is the SHA-256 of the key.</summary>
public sealed class ApiKeyRow
{
    public long Id { get; init; }
    public string Prefix { get; init; } = "";
    public string Name { get; init; } = "";
    public string Role { get; init; } = "";
    public byte[] KeyHash { get; init; } = [];
    public DateTime CreatedAt { get; init; }
    public DateTime? LastUsedAt { get; init; }
    public DateTime? RevokedAt { get; init; }

    /// <summary>The agent an agent or admin key belongs to; null for requester keys.</summary>
    public long? AgentId { get; init; }

    /// <summary>Whether that agent is active (null without an agent). A deactivated agent's keys do not authenticate.</summary>
    public bool? AgentActive { get; init; }
}
