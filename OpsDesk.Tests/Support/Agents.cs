using OpsDesk.Db.Agents;
using OpsDesk.Db.Auth;

namespace OpsDesk.Tests.Support;

/// <summary>Agents made straight in the test database, each with a unique name, and keys for them.</summary>
public static class Agents
{
    public static AgentRepository Repository => new(TestDatabase.DataSource);

    public static async Task<AgentRow> CreateAsync(string role = ApiKeyRoles.Agent, string? jwtSubject = null)
    {
        var result = await Repository.CreateAsync(new NewAgent($"test-agent-{Guid.NewGuid():N}", null, role, jwtSubject));
        return result.Agent;
    }

    /// <summary>An agent and one key of its own.</summary>
    public static async Task<(AgentRow Agent, CreatedApiKey Key)> CreateWithKeyAsync(string role = ApiKeyRoles.Agent)
    {
        var agent = await CreateAsync(role);
        var key = await ApiKeys.Repository.CreateAsync($"test-key-{Guid.NewGuid():N}", role, agent.Id);
        return (agent, key ?? throw new InvalidOperationException("a unique key name was taken"));
    }
}
