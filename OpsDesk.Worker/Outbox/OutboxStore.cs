using Dapper;
using Npgsql;
using OpsDesk.Db;

namespace OpsDesk.Worker.Outbox;

/// <summary>
/// The relay's SQL: leadership on a dedicated session, the publish horizon, unpublished batches and
/// marking them published. The dedicated session never comes from the pool, so closing it (or the
/// process dying) always releases the advisory lock.
/// </summary>
public sealed class OutboxStore
{
    /// <summary>Advisory lock key of the one active relay per database ("OpsDeskOx" folded into 64 bits).</summary>
    public const long LeaderLockKey = 0x4F70_7344_6573_6B4F;

    public const string Channel = "ticket_events";

    private readonly NpgsqlDataSource dataSource;
    private readonly string leaderConnectionString;

    public OutboxStore(NpgsqlDataSource dataSource, string connectionString)
    {
        DapperSetup.EnsureConfigured();
        this.dataSource = dataSource;
        leaderConnectionString = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            // Lets both sides notice a dead peer: the server frees the lock, the relay steps down.
            KeepAlive = 10,
            TcpKeepAlive = true,
            ApplicationName = "opsdesk-outbox-relay",
        }.ConnectionString;
    }

    /// <summary>Opens the leadership session, tries the lock and, when taken, LISTENs on <see cref="Channel"/>.</summary>
    /// <returns>The open session when this process is now the leader; null (session closed) when another one is.</returns>
    public async Task<NpgsqlConnection?> TryTakeLeadershipAsync(CancellationToken ct)
    {
        var conn = new NpgsqlConnection(leaderConnectionString);
        try
        {
            await conn.OpenAsync(ct);
            var leader = await conn.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT pg_try_advisory_lock(@LeaderLockKey)", new { LeaderLockKey }, cancellationToken: ct));
            if (!leader)
            {
                await conn.DisposeAsync();
                return null;
            }

            await conn.ExecuteAsync(new CommandDefinition($"LISTEN {Channel}", cancellationToken: ct));
            return conn;
        }
        catch
        {
            await conn.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The highest visible event id and the transactions that may still be writing
    /// <c>ticket_events</c> (they hold RowExclusiveLock from before they draw an id until they end).
    /// The snapshot is taken before pg_locks is read, so any writer that drew an id at or below
    /// <see cref="HorizonProbe.MaxId"/> and has not committed is in <see cref="HorizonProbe.Writers"/>.
    /// </summary>
    public async Task<HorizonProbe> ProbeHorizonAsync(CancellationToken ct)
    {
        const string sql = """
            SELECT (SELECT coalesce(max(id), 0) FROM ticket_events) AS max_id,
                   coalesce(array_agg(l.virtualtransaction), '{}') AS writers
            FROM pg_locks l
            WHERE l.locktype = 'relation'
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND l.relation = 'ticket_events'::regclass
              AND l.mode = 'RowExclusiveLock'
              AND l.pid <> pg_backend_pid()
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleAsync<(long MaxId, string[] Writers)>(new CommandDefinition(sql, cancellationToken: ct));
        return new HorizonProbe(row.MaxId, row.Writers);
    }

    /// <summary>The oldest unpublished events up to <paramref name="maxId"/>, in id order.</summary>
    public async Task<IReadOnlyList<OutboxEvent>> ReadBatchAsync(long maxId, int limit, CancellationToken ct)
    {
        const string sql = """
            SELECT id, ticket_id, type, payload::text AS payload, occurred_at
            FROM ticket_events
            WHERE published_at IS NULL AND id <= @maxId
            ORDER BY id
            LIMIT @limit
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(long Id, long TicketId, string Type, string Payload, DateTime OccurredAt)>(
            new CommandDefinition(sql, new { maxId, limit }, cancellationToken: ct));
        return rows.Select(r => new OutboxEvent(r.Id, r.TicketId, r.Type, r.Payload, r.OccurredAt)).ToList();
    }

    /// <summary>Sets published_at on the events the broker acknowledged. Running it twice changes nothing.</summary>
    public async Task<int> MarkPublishedAsync(IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        const string sql = "UPDATE ticket_events SET published_at = now() WHERE id = ANY(@ids) AND published_at IS NULL";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(sql, new { ids = ids.ToArray() }, cancellationToken: ct));
    }

    /// <summary>Events not yet published (served by the partial index on unpublished rows).</summary>
    public async Task<long> CountBacklogAsync(CancellationToken ct)
    {
        const string sql = "SELECT count(*) FROM ticket_events WHERE published_at IS NULL";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<long>(new CommandDefinition(sql, cancellationToken: ct));
    }
}

/// <summary>What <see cref="OutboxStore.ProbeHorizonAsync"/> saw.</summary>
public sealed record HorizonProbe(long MaxId, IReadOnlyCollection<string> Writers);
