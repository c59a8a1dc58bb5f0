using Npgsql;
using OpsDesk.Db.Events;
using OpsDesk.Db.Tickets;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Worker.Outbox;

/// <summary>A fresh migrated database of one test's own, so a relay sees only that test's events.</summary>
public sealed class OutboxTestDb : IAsyncDisposable
{
    private OutboxTestDb(string connectionString)
    {
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public static async Task<OutboxTestDb> CreateAsync() => new(await TestDatabase.CreateIsolatedDatabaseAsync());

    /// <summary>A ticket (and its ticket.created event); returns the ticket id.</summary>
    public async Task<long> NewTicketAsync()
    {
        var result = await new TicketRepository(DataSource).InsertAsync(new NewTicket("Outbox " + Guid.NewGuid().ToString("N")[..8], "d", "api", null, null, null));
        return result.Ticket.Id;
    }

    /// <summary>An event with any payload: the relay publishes payloads as they are.</summary>
    public async Task<long> AppendAsync(long ticketId, string type, string payloadJson = "{}")
    {
        await using var conn = await DataSource.OpenConnectionAsync();
        return await Timeline.InsertRawAsync(conn, null, ticketId, type, payloadJson);
    }

    /// <summary>A backlog in one statement: <paramref name="count"/> events of <paramref name="type"/>, round-robin over the tickets.</summary>
    public async Task SeedAsync(IReadOnlyList<long> tickets, int count, string type)
    {
        const string sql = """
            INSERT INTO ticket_events (ticket_id, type, payload)
            SELECT (@tickets)[1 + g % cardinality(@tickets)], @type, jsonb_build_object('n', g)
            FROM generate_series(0, @count - 1) g
            ORDER BY g
            """;
        await using var cmd = DataSource.CreateCommand(sql);
        cmd.Parameters.AddWithValue("tickets", tickets.ToArray());
        cmd.Parameters.AddWithValue("type", type);
        cmd.Parameters.AddWithValue("count", count);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Ends the session that holds the relay's advisory lock (as a network cut or a DBA would); returns how many were ended.</summary>
    public async Task<int> KillLeaderSessionAsync()
    {
        const string sql = """
            SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_locks
            WHERE locktype = 'advisory' AND granted
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """;
        await using var cmd = DataSource.CreateCommand(sql);
        return (int)(long)(await cmd.ExecuteScalarAsync())!;
    }

    public async Task<IReadOnlyList<TicketEventRow>> EventsAsync()
    {
        const string sql = "SELECT id, ticket_id, type, payload::text, dedupe_key, occurred_at, published_at FROM ticket_events ORDER BY id";
        await using var cmd = DataSource.CreateCommand(sql);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<TicketEventRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new TicketEventRow
            {
                Id = reader.GetInt64(0),
                TicketId = reader.GetInt64(1),
                Type = reader.GetString(2),
                Payload = reader.GetString(3),
                DedupeKey = reader.IsDBNull(4) ? null : reader.GetString(4),
                OccurredAt = reader.GetDateTime(5),
                PublishedAt = reader.IsDBNull(6) ? null : reader.GetDateTime(6),
            });
        }

        return rows;
    }

    public async Task<long> UnpublishedAsync()
    {
        await using var cmd = DataSource.CreateCommand("SELECT count(*) FROM ticket_events WHERE published_at IS NULL");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>Waits until every event has published_at (the broker acknowledged all of them).</summary>
    public Task WaitAllPublishedAsync(TimeSpan? timeout = null) => WaitUnpublishedAsync(0, timeout);

    /// <summary>Waits until exactly <paramref name="left"/> events are still unpublished (parked ones and those behind them).</summary>
    public async Task WaitUnpublishedAsync(long left, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        long now;
        while ((now = await UnpublishedAsync()) != left)
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"{now} events still unpublished after the timeout (expected {left})");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync() => await DataSource.DisposeAsync();
}
