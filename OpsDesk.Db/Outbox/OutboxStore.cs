using Dapper;
using Npgsql;
using OpsDesk.Db.Events;

namespace OpsDesk.Db.Outbox;

/// <summary>
/// The relay's SQL: leadership on a dedicated session and its fencing epoch, the publish horizon,
/// unpublished batches, marking them published and parking poison events. The dedicated session never comes from the pool, so closing it (or the
/// process dying) always releases the advisory lock.
/// </summary>
public sealed class OutboxStore : DataAccess
{
    /// <summary>Advisory lock key of the one active relay per database ("OpsDeskOx" folded into 64 bits).</summary>
    public const long LeaderLockKey = 0x4F70_7344_6573_6B4F;

    private readonly string leaderConnectionString;

    public OutboxStore(NpgsqlDataSource dataSource, string connectionString)
        : base(dataSource)
    {
        leaderConnectionString = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            // Lets both sides notice a dead peer: the server frees the lock, the relay steps down.
            KeepAlive = 10,
            TcpKeepAlive = true,
            ApplicationName = "opsdesk-outbox-relay",
        }.ConnectionString;
    }

    /// <summary>Opens the leadership session, tries the lock and, when taken, LISTENs on <see cref="TicketEventWriter.Channel"/>.</summary>
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

            await conn.ExecuteAsync(new CommandDefinition($"LISTEN {TicketEventWriter.Channel}", cancellationToken: ct));
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
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleAsync<(long MaxId, string[] Writers)>(new CommandDefinition(sql, cancellationToken: ct));
        return new HorizonProbe(row.MaxId, row.Writers);
    }

    /// <summary>
    /// The oldest unpublished events up to <paramref name="maxId"/>, in id order, leaving out parked
    /// and skipped events and every event behind a parked one of the same ticket.
    /// </summary>
    public async Task<IReadOnlyList<OutboxEvent>> ReadBatchAsync(long maxId, int limit, CancellationToken ct)
    {
        const string sql = """
            SELECT e.id, e.ticket_id, e.type, e.payload::text AS payload, e.occurred_at, e.trace_parent
            FROM ticket_events e
            WHERE e.published_at IS NULL AND e.id <= @maxId
              AND NOT EXISTS (SELECT 1 FROM outbox_parked p
                              WHERE p.ticket_id = e.ticket_id AND p.state = 'parked' AND p.event_id <= e.id)
              AND NOT EXISTS (SELECT 1 FROM outbox_parked p WHERE p.event_id = e.id AND p.state = 'skipped')
            ORDER BY e.id
            LIMIT @limit
            """;
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(long Id, long TicketId, string Type, string Payload, DateTime OccurredAt, string? TraceParent)>(
            new CommandDefinition(sql, new { maxId, limit }, cancellationToken: ct));
        return rows.Select(r => new OutboxEvent(r.Id, r.TicketId, r.Type, r.Payload, r.OccurredAt, r.TraceParent)).ToList();
    }

    /// <summary>
    /// Starts this leader's epoch (the fencing token) on its lock session, once no predecessor's
    /// batch can still be in flight; null while one may be (its <c>batch_until</c> has not passed).
    /// </summary>
    public static async Task<long?> TryBeginEpochAsync(NpgsqlConnection session, string holder, CancellationToken ct)
    {
        const string sql = """
            UPDATE outbox_leader SET epoch = epoch + 1, holder = @holder, since = now(), batch_until = NULL
            WHERE batch_until IS NULL OR batch_until <= now()
            RETURNING epoch
            """;
        return await session.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(sql, new { holder }, cancellationToken: ct));
    }

    /// <summary>
    /// Registers a batch about to be produced, on the lock session: that the statement runs at all
    /// proves the session (and so the advisory lock) is still held, and the epoch check proves no
    /// successor has begun. False: fenced, do not produce.
    /// </summary>
    public static async Task<bool> OpenBatchAsync(NpgsqlConnection session, long epoch, TimeSpan lease, CancellationToken ct)
    {
        const string sql = "UPDATE outbox_leader SET batch_until = now() + @lease WHERE epoch = @epoch";
        return await session.ExecuteAsync(new CommandDefinition(sql, new { epoch, lease }, cancellationToken: ct)) == 1;
    }

    /// <summary>Keeps a batch in flight registered (from the pool: the lock session may be gone). False: fenced.</summary>
    public async Task<bool> ExtendBatchAsync(long epoch, TimeSpan lease, CancellationToken ct)
    {
        const string sql = "UPDATE outbox_leader SET batch_until = now() + @lease WHERE epoch = @epoch AND batch_until IS NOT NULL";
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(sql, new { epoch, lease }, cancellationToken: ct)) == 1;
    }

    /// <summary>
    /// Ends a batch in one transaction, fenced by the epoch: sets published_at on the events the
    /// broker acknowledged and parks the poison ones. False (nothing written): a successor has
    /// begun, so the batch is its to send. Runs on the pool, not the lock session, so a relay whose
    /// session was cut mid-batch still records what that batch delivered (its successor waits for
    /// this). Running it twice changes nothing.
    /// </summary>
    public async Task<bool> CloseBatchAsync(long epoch, IReadOnlyCollection<long> published, IReadOnlyCollection<ParkedEvent> parked, CancellationToken ct)
    {
        const string fence = "UPDATE outbox_leader SET batch_until = NULL WHERE epoch = @epoch";
        const string mark = "UPDATE ticket_events SET published_at = now() WHERE id = ANY(@ids) AND published_at IS NULL";
        const string park = """
            INSERT INTO outbox_parked (event_id, ticket_id, reason)
            SELECT * FROM unnest(@eventIds, @ticketIds, @reasons)
            ON CONFLICT (event_id) DO UPDATE
                SET state = 'parked', reason = EXCLUDED.reason, times_parked = outbox_parked.times_parked + 1,
                    parked_at = now(), resolved_at = NULL, resolved_by = NULL
            """;
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // The row lock taken here orders this against a successor's TryBeginEpochAsync.
        if (await conn.ExecuteAsync(new CommandDefinition(fence, new { epoch }, tx, cancellationToken: ct)) != 1)
            return false;
        if (published.Count > 0)
            await conn.ExecuteAsync(new CommandDefinition(mark, new { ids = published.ToArray() }, tx, cancellationToken: ct));
        if (parked.Count > 0)
        {
            await conn.ExecuteAsync(new CommandDefinition(park, new
            {
                eventIds = parked.Select(p => p.EventId).ToArray(),
                ticketIds = parked.Select(p => p.TicketId).ToArray(),
                reasons = parked.Select(p => p.Reason).ToArray(),
            }, tx, cancellationToken: ct));
        }

        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Gives up a registered batch without marking it (stopping): a successor need not wait for it.</summary>
    public async Task ReleaseBatchAsync(long epoch, CancellationToken ct)
    {
        const string sql = "UPDATE outbox_leader SET batch_until = NULL WHERE epoch = @epoch";
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(sql, new { epoch }, cancellationToken: ct));
    }

    /// <summary>Parked events, and the later events of their tickets waiting behind them.</summary>
    public async Task<(long Parked, long Held)> CountParkedAsync(CancellationToken ct)
    {
        const string sql = """
            SELECT (SELECT count(*) FROM outbox_parked WHERE state = 'parked') AS parked,
                   (SELECT count(*) FROM ticket_events e
                    WHERE e.published_at IS NULL
                      AND EXISTS (SELECT 1 FROM outbox_parked p
                                  WHERE p.ticket_id = e.ticket_id AND p.state = 'parked' AND p.event_id < e.id)) AS held
            """;
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleAsync<(long, long)>(new CommandDefinition(sql, cancellationToken: ct));
    }

    /// <summary>Events not yet published, parked ones included, skipped ones not (served by the partial index on unpublished rows).</summary>
    public async Task<long> CountBacklogAsync(CancellationToken ct)
    {
        const string sql = """
            SELECT count(*) FROM ticket_events e
            WHERE e.published_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM outbox_parked p WHERE p.event_id = e.id AND p.state = 'skipped')
            """;
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<long>(new CommandDefinition(sql, cancellationToken: ct));
    }

    /// <summary>
    /// The relay's gauges in one synchronous round trip (metric collection calls back synchronously):
    /// events waiting (as <see cref="CountBacklogAsync"/>), parked events, and the age of the oldest
    /// event the relay still has to publish (parked and skipped ones left out; zero when none waits).
    /// </summary>
    public OutboxGauges ReadGauges()
    {
        const string sql = """
            SELECT (SELECT count(*) FROM ticket_events e
                    WHERE e.published_at IS NULL
                      AND NOT EXISTS (SELECT 1 FROM outbox_parked p WHERE p.event_id = e.id AND p.state = 'skipped')) AS backlog,
                   (SELECT count(*) FROM outbox_parked WHERE state = 'parked') AS parked,
                   (SELECT coalesce(extract(epoch FROM now() - min(e.occurred_at)), 0)::float8 FROM ticket_events e
                    WHERE e.published_at IS NULL
                      AND NOT EXISTS (SELECT 1 FROM outbox_parked p WHERE p.event_id = e.id)) AS oldest_age_seconds
            """;
        using var conn = DataSource.OpenConnection();
        var row = conn.QuerySingle<(long Backlog, long Parked, double OldestAgeSeconds)>(new CommandDefinition(sql));
        return new OutboxGauges(row.Backlog, row.Parked, Math.Max(0, row.OldestAgeSeconds));
    }
}
