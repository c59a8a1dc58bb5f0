using Dapper;
using Npgsql;

namespace OpsDesk.Db.Events;

/// <summary>Appends to and reads the timeline. Rows are immutable once written.</summary>
public sealed class TicketEventRepository
{
    private readonly NpgsqlDataSource dataSource;

    public TicketEventRepository(NpgsqlDataSource dataSource)
    {
        DapperSetup.EnsureConfigured();
        this.dataSource = dataSource;
    }

    /// <summary>
    /// Appends an event. With a dedupe key, a second append of the same (ticket, type, key)
    /// writes nothing and returns the first event's id.
    /// </summary>
    public async Task<long> AppendAsync(long ticketId, string type, string payloadJson, string? dedupeKey, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await AppendAsync(conn, null, ticketId, type, payloadJson, dedupeKey, ct);
    }

    /// <summary>Appends inside a caller's transaction, so the event commits with the caller's other writes.</summary>
    public static async Task<long> AppendAsync(
        NpgsqlConnection conn, NpgsqlTransaction? tx, long ticketId, string type, string payloadJson, string? dedupeKey, CancellationToken ct)
    {
        const string insert = """
            INSERT INTO ticket_events (ticket_id, type, payload, dedupe_key)
            VALUES (@ticketId, @type, @payloadJson::jsonb, @dedupeKey)
            ON CONFLICT (ticket_id, type, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
            RETURNING id
            """;
        const string existing = "SELECT id FROM ticket_events WHERE ticket_id = @ticketId AND type = @type AND dedupe_key = @dedupeKey";
        var args = new { ticketId, type, payloadJson, dedupeKey };
        var id = await conn.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(insert, args, tx, cancellationToken: ct));
        return id ?? await conn.QuerySingleAsync<long>(new CommandDefinition(existing, args, tx, cancellationToken: ct));
    }

    /// <summary>The ticket's timeline, oldest first.</summary>
    public async Task<IReadOnlyList<TicketEventRow>> ListForTicketAsync(long ticketId, CancellationToken ct = default)
    {
        const string sql = """
            SELECT id, ticket_id, type, payload::text AS payload, dedupe_key, occurred_at, published_at
            FROM ticket_events WHERE ticket_id = @ticketId ORDER BY id
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<TicketEventRow>(new CommandDefinition(sql, new { ticketId }, cancellationToken: ct))).AsList();
    }
}
