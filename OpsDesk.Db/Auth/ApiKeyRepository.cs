using Dapper;
using Npgsql;

namespace OpsDesk.Db.Auth;

/// <summary>Stores API keys as hashes; creates, finds, lists and revokes them.</summary>
public sealed class ApiKeyRepository(NpgsqlDataSource dataSource) : DataAccess(dataSource)
{
    /// <summary>last_used_at is written at most this often per key, so a busy key does not cost a write per request.</summary>
    public static readonly TimeSpan LastUsedGranularity = TimeSpan.FromMinutes(1);

    private const string Columns = "id, prefix, name, role, key_hash, created_at, last_used_at, revoked_at";
    private const string UniqueViolation = "23505";

    /// <summary>Mints a key. Null when an active key already has <paramref name="name"/> (names are unique among active keys).</summary>
    public async Task<CreatedApiKey?> CreateAsync(string name, string role, CancellationToken ct = default)
    {
        const string sql = """
            INSERT INTO api_keys (prefix, name, role, key_hash)
            VALUES (@Prefix, @Name, @Role, @KeyHash)
            ON CONFLICT (name) WHERE revoked_at IS NULL DO NOTHING
            RETURNING id, created_at
            """;
        CheckRole(role);
        var (prefix, key) = Secrets.NewKey();
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<InsertedRow>(new CommandDefinition(
            sql, new { Prefix = prefix, Name = name, Role = role, KeyHash = Secrets.Hash(key) }, cancellationToken: ct));
        return row is null ? null : new CreatedApiKey(row.Id, name, role, prefix, key, row.CreatedAt);
    }

    /// <summary>
    /// Stores a key chosen by the operator (the bootstrap admin key). Idempotent: the same key
    /// twice is one row, and a key revoked since stays revoked.
    /// </summary>
    public async Task<(SeedOutcome Outcome, long? Id)> SeedAsync(string name, string role, string key, CancellationToken ct = default)
    {
        const string insert = """
            INSERT INTO api_keys (prefix, name, role, key_hash)
            VALUES (@Prefix, @Name, @Role, @KeyHash)
            ON CONFLICT (prefix) DO NOTHING
            RETURNING id
            """;
        CheckRole(role);
        var prefix = Secrets.LookupPrefix(key);
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        try
        {
            var id = await conn.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
                insert, new { Prefix = prefix, Name = name, Role = role, KeyHash = Secrets.Hash(key) }, cancellationToken: ct));
            if (id is not null)
                return (SeedOutcome.Created, id);
        }
        catch (PostgresException e) when (e.SqlState == UniqueViolation)
        {
            // The name is held by another active key; fall through and report what the prefix holds.
        }

        var existing = await FindByPrefixAsync(prefix, ct);
        if (existing is null || !Secrets.Matches(key, existing.KeyHash))
            return (SeedOutcome.PrefixTaken, existing?.Id);
        return (existing.RevokedAt is null ? SeedOutcome.Exists : SeedOutcome.Revoked, existing.Id);
    }

    public async Task<ApiKeyRow?> FindByPrefixAsync(string prefix, CancellationToken ct = default)
    {
        const string sql = $"SELECT {Columns} FROM api_keys WHERE prefix = @prefix";
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<ApiKeyRow>(new CommandDefinition(sql, new { prefix }, cancellationToken: ct));
    }

    public async Task<ApiKeyRow?> GetAsync(long id, CancellationToken ct = default)
    {
        const string sql = $"SELECT {Columns} FROM api_keys WHERE id = @id";
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<ApiKeyRow>(new CommandDefinition(sql, new { id }, cancellationToken: ct));
    }

    /// <summary>Every key, oldest first. Rows carry hashes; callers show none of them.</summary>
    public async Task<IReadOnlyList<ApiKeyRow>> ListAsync(CancellationToken ct = default)
    {
        const string sql = $"SELECT {Columns} FROM api_keys ORDER BY id";
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
