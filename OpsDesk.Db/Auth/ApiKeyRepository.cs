using Dapper;
using Npgsql;
using OpsDesk.Db.Agents;

namespace OpsDesk.Db.Auth;

/// <summary>Stores API keys as hashes; creates, finds, lists and revokes them.</summary>
public sealed class ApiKeyRepository(NpgsqlDataSource dataSource) : DataAccess(dataSource)
{
    /// <summary>last_used_at is written at most this often per key, so a busy key does not cost a write per request.</summary>
    public static readonly TimeSpan LastUsedGranularity = TimeSpan.FromMinutes(1);

    private const string Columns = "k.id, k.prefix, k.name, k.role, k.key_hash, k.created_at, k.last_used_at, k.revoked_at, k.agent_id, a.active AS agent_active";
    private const string From = "api_keys k LEFT JOIN agents a ON a.id = k.agent_id";
    private const string UniqueViolation = "23505";

    /// <summary>Mints a key. Null when an active key already has <paramref name="name"/> (names are unique among active keys).</summary>
    public Task<CreatedApiKey?> CreateAsync(string name, string role, CancellationToken ct = default) => CreateAsync(name, role, null, ct);

    /// <summary>
    /// Mints a key. An agent or admin key belongs to an agent: <paramref name="agentId"/>, or else the
    /// agent named like the key (created when missing, so rotating a key keeps its agent). The agent
    /// must be active and have the key's role (<see cref="AgentUnavailableException"/> otherwise).
    /// Null when an active key already has <paramref name="name"/>; then nothing is written.
    /// </summary>
    public async Task<CreatedApiKey?> CreateAsync(string name, string role, long? agentId, CancellationToken ct = default)
    {
        const string sql = """
            INSERT INTO api_keys (prefix, name, role, key_hash, agent_id)
            VALUES (@Prefix, @Name, @Role, @KeyHash, @AgentId)
            ON CONFLICT (name) WHERE revoked_at IS NULL DO NOTHING
            RETURNING id, created_at
            """;
        CheckRole(role);
        var (prefix, key) = Secrets.NewKey();
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var owner = await OwnerAsync(conn, tx, name, role, agentId, ct);
        var row = await conn.QuerySingleOrDefaultAsync<InsertedRow>(new CommandDefinition(
            sql, new { Prefix = prefix, Name = name, Role = role, KeyHash = Secrets.Hash(key), AgentId = owner }, tx, cancellationToken: ct));
        if (row is null)
            return null; // rolled back: an agent made for this key is not kept either
        await tx.CommitAsync(ct);
        return new CreatedApiKey(row.Id, name, role, prefix, key, row.CreatedAt, owner);
    }

    /// <summary>The agent a new key of <paramref name="role"/> belongs to (null for requester keys), checked and locked against deactivation.</summary>
    private static async Task<long?> OwnerAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string name, string role, long? agentId, CancellationToken ct)
    {
        if (role == ApiKeyRoles.Requester)
        {
            return agentId is null ? null : throw new AgentUnavailableException("A requester key belongs to no agent; only agent and admin keys do.");
        }

        const string ensure = "INSERT INTO agents (name, role) VALUES (@name, @role) ON CONFLICT (name) DO NOTHING";
        const string find = $"SELECT {AgentRepository.Columns} FROM agents WHERE (@agentId::bigint IS NULL AND name = @name) OR id = @agentId FOR SHARE";
        if (agentId is null)
            await conn.ExecuteAsync(new CommandDefinition(ensure, new { name, role }, tx, cancellationToken: ct));
        var agent = await conn.QuerySingleOrDefaultAsync<AgentRow>(new CommandDefinition(find, new { name, agentId }, tx, cancellationToken: ct));
        if (agent is null)
            throw new AgentUnavailableException($"There is no agent {agentId}.");
        if (!agent.Active)
            throw new AgentUnavailableException($"Agent {agent.Id} ('{agent.Name}') is deactivated; its keys would not work.");
        if (agent.Role != role)
            throw new AgentUnavailableException($"Agent {agent.Id} ('{agent.Name}') is an {agent.Role}; its keys must have that role (got {role}).");
        return agent.Id;
    }

    /// <summary>
    /// Stores a key chosen by the operator (the bootstrap admin key). Idempotent: the same key
    /// twice is one row, and a key revoked since stays revoked.
    /// </summary>
    public async Task<(SeedOutcome Outcome, long? Id)> SeedAsync(string name, string role, string key, CancellationToken ct = default)
    {
        const string insert = """
            INSERT INTO api_keys (prefix, name, role, key_hash, agent_id)
            VALUES (@Prefix, @Name, @Role, @KeyHash, @AgentId)
            ON CONFLICT (prefix) DO NOTHING
            RETURNING id
            """;
        CheckRole(role);
        var prefix = Secrets.LookupPrefix(key);
        await using (var conn = await DataSource.OpenConnectionAsync(ct))
        {
            await using var tx = await conn.BeginTransactionAsync(ct);
            try
            {
                var owner = await OwnerAsync(conn, tx, name, role, null, ct);
                var id = await conn.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
                    insert, new { Prefix = prefix, Name = name, Role = role, KeyHash = Secrets.Hash(key), AgentId = owner }, tx, cancellationToken: ct));
                if (id is not null)
                {
                    await tx.CommitAsync(ct);
                    return (SeedOutcome.Created, id);
                }
            }
            catch (PostgresException e) when (e.SqlState == UniqueViolation)
            {
                // The name is held by another active key; fall through and report what the prefix holds.
            }
            catch (AgentUnavailableException)
            {
                // The agent of that name was deactivated (or is of another role): report what the prefix holds.
            }
        }

        var existing = await FindByPrefixAsync(prefix, ct);
        if (existing is null || !Secrets.Matches(key, existing.KeyHash))
            return (SeedOutcome.PrefixTaken, existing?.Id);
        return (existing.RevokedAt is null ? SeedOutcome.Exists : SeedOutcome.Revoked, existing.Id);
    }

    public async Task<ApiKeyRow?> FindByPrefixAsync(string prefix, CancellationToken ct = default)
    {
        const string sql = $"SELECT {Columns} FROM {From} WHERE k.prefix = @prefix";
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<ApiKeyRow>(new CommandDefinition(sql, new { prefix }, cancellationToken: ct));
    }

    public async Task<ApiKeyRow?> GetAsync(long id, CancellationToken ct = default)
    {
        const string sql = $"SELECT {Columns} FROM {From} WHERE k.id = @id";
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<ApiKeyRow>(new CommandDefinition(sql, new { id }, cancellationToken: ct));
    }

    /// <summary>Every key, oldest first. Rows carry hashes; callers show none of them.</summary>
    public async Task<IReadOnlyList<ApiKeyRow>> ListAsync(CancellationToken ct = default)
    {
        const string sql = $"SELECT {Columns} FROM {From} ORDER BY k.id";
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<ApiKeyRow>(new CommandDefinition(sql, cancellationToken: ct))).AsList();
    }

    /// <summary>Revokes a key; it stops working on the next request. Revoking twice keeps the first time.</summary>
    public async Task<RevokeOutcome> RevokeAsync(long id, CancellationToken ct = default)
    {
        const string sql = """
            WITH updated AS (
                UPDATE api_keys SET revoked_at = now() WHERE id = @id AND revoked_at IS NULL RETURNING id
            )
            SELECT (SELECT count(*) FROM updated) AS updated, (SELECT count(*) FROM api_keys WHERE id = @id) AS found
            """;
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        var counts = await conn.QuerySingleAsync<RevokeCounts>(new CommandDefinition(sql, new { id }, cancellationToken: ct));
        return counts.Updated > 0 ? RevokeOutcome.Revoked : counts.Found > 0 ? RevokeOutcome.AlreadyRevoked : RevokeOutcome.NotFound;
    }

    /// <summary>
    /// Records a use of the key, unless one was recorded within <see cref="LastUsedGranularity"/>;
    /// callers skip the call entirely when the row they read is recent enough.
    /// </summary>
    public async Task TouchAsync(long id, CancellationToken ct = default)
    {
        const string sql = """
            UPDATE api_keys SET last_used_at = now()
            WHERE id = @id AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => @seconds))
            """;
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(sql, new { id, seconds = LastUsedGranularity.TotalSeconds }, cancellationToken: ct));
    }

    private static void CheckRole(string role)
    {
        if (!ApiKeyRoles.All.Contains(role, StringComparer.Ordinal))
            throw new ArgumentException($"role must be one of: {string.Join(", ", ApiKeyRoles.All)}.", nameof(role));
    }

    private sealed class InsertedRow
    {
        public long Id { get; init; }
        public DateTime CreatedAt { get; init; }
    }

    private sealed class RevokeCounts
    {
        public long Updated { get; init; }
        public long Found { get; init; }
    }
}
