namespace OpsDesk.Db.Auth;

/// <summary>A key just created: <see cref="Key"/> is the only copy of the secret and is shown once.</summary>
/// <param name="AgentId">The agent the key belongs to (null for requester keys).</param>
public sealed record CreatedApiKey(long Id, string Name, string Role, string Prefix, string Key, DateTime CreatedAt, long? AgentId = null);
