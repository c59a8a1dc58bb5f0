namespace OpsDesk.Db.Agents;

/// <summary>A row of <c>agents</c>: a person (or team) behind agent and admin credentials. Timestamps are UTC.</summary>
public sealed class AgentRow
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string? Email { get; init; }
    public string Role { get; init; } = "";
    public bool Active { get; init; }
    public string? JwtSubject { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? DeactivatedAt { get; init; }
}
