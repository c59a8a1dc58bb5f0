using Dapper;
using Npgsql;

namespace OpsDesk.Db.Agents;

/// <summary>Creates, reads and deactivates agents. Names are unique, so a retried create finds the first agent.</summary>
public sealed class AgentRepository(NpgsqlDataSource dataSource) : DataAccess(dataSource)
{
    internal const string Columns = "id, name, email, role, active, jwt_subject, created_at, deactivated_at";

    /// <summary>
    /// Creates the agent, or returns the one already holding its name when it is the same agent
    /// (same email, role and JWT subject): creating twice is one row. A different agent holding the
    /// name or the JWT subject is a conflict.
    /// </summary>
    public async Task<AgentCreateResult> CreateAsync(NewAgent agent, CancellationToken ct = default)
    {
        const string insert = $"""
            INSERT INTO agents (name, email, role, jwt_subject) VALUES (@Name, @Email, @Role, @JwtSubject)
            ON CONFLICT DO NOTHING
            RETURNING {Columns}
            """;
        const string existing = $"SELECT {Columns} FROM agents WHERE name = @Name OR jwt_subject = @JwtSubject ORDER BY name = @Name DESC LIMIT 1";
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<AgentRow>(new CommandDefinition(insert, agent, cancellationToken: ct));
        if (row is not null)
            return new AgentCreateResult(AgentCreateOutcome.Created, row);

        // ON CONFLICT waited for a concurrent insert of the same name to commit, so the row is visible now.
        var held = await conn.QuerySingleAsync<AgentRow>(new CommandDefinition(existing, agent, cancellationToken: ct));
        var same = held.Name == agent.Name && held.Email == agent.Email && held.Role == agent.Role && held.JwtSubject == agent.JwtSubject;
        return new AgentCreateResult(same ? AgentCreateOutcome.Existing : AgentCreateOutcome.Conflict, held);
    }

    public async Task<AgentRow?> GetAsync(long id, CancellationToken ct = default)
    {
        const string sql = $"SELECT {Columns} FROM agents WHERE id = @id";
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<AgentRow>(new CommandDefinition(sql, new { id }, cancellationToken: ct));
    }

    /// <summary>The agent a JWT <c>sub</c> signs in as, if one is mapped.</summary>
    public async Task<AgentRow?> FindByJwtSubjectAsync(string subject, CancellationToken ct = default)
    {
        const string sql = $"SELECT {Columns} FROM agents WHERE jwt_subject = @subject";
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<AgentRow>(new CommandDefinition(sql, new { subject }, cancellationToken: ct));
    }

    /// <summary>Every agent, oldest first.</summary>
    public async Task<IReadOnlyList<AgentRow>> ListAsync(CancellationToken ct = default)
    {
        const string sql = $"SELECT {Columns} FROM agents ORDER BY id";
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<AgentRow>(new CommandDefinition(sql, cancellationToken: ct))).AsList();
    }

    /// <summary>
    /// Deactivates the agent: its keys and JWT stop working on the next request and it can no longer
    /// be assigned. Deactivating twice keeps the first time. Null when there is no such agent.
    /// </summary>
    public async Task<AgentRow?> DeactivateAsync(long id, CancellationToken ct = default)
    {
        const string sql = $"""
            UPDATE agents SET active = false, deactivated_at = COALESCE(deactivated_at, now())
            WHERE id = @id
            RETURNING {Columns}
            """;
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<AgentRow>(new CommandDefinition(sql, new { id }, cancellationToken: ct));
    }
}
