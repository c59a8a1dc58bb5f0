using OpsDesk.Db;
using OpsDesk.Db.Agents;

namespace OpsDesk.Api.Agents;

/// <summary>An agent: who stands behind agent and admin keys, comments and assignments.</summary>
public sealed record AgentResponse(
    long Id,
    string Name,
    string? Email,
    string Role,
    bool Active,
    string? JwtSubject,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeactivatedAt)
{
    public static AgentResponse From(AgentRow row) => new(
        row.Id, row.Name, row.Email, row.Role, row.Active, row.JwtSubject, UtcTime.Offset(row.CreatedAt), UtcTime.Offset(row.DeactivatedAt));
}

/// <summary>All agents, oldest first.</summary>
public sealed record AgentListResponse(IReadOnlyList<AgentResponse> Items);
