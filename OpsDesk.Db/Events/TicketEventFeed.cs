using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace OpsDesk.Db.Events;

/// <summary>
/// Timeline rows as they land, for live pages: a dedicated session that LISTENs on
/// <see cref="TicketEventWriter.Channel"/> (outside the pool, so it never holds a pooled
/// connection), and reads of the rows after a given id. Carries ids and types only.
/// </summary>
public sealed class TicketEventFeed(NpgsqlDataSource dataSource, IOptions<ConnectionStringOptions> connectionStrings) : DataAccess(dataSource)
{
    public async Task<NpgsqlConnection> ListenAsync(CancellationToken ct)
    {
        var cs = new NpgsqlConnectionStringBuilder(connectionStrings.Value.OpsDesk) { Pooling = false, Multiplexing = false, KeepAlive = 30 };
        var conn = new NpgsqlConnection(cs.ConnectionString);
        try
        {
            await conn.OpenAsync(ct);
            await conn.ExecuteAsync(new CommandDefinition($"LISTEN {TicketEventWriter.Channel}", cancellationToken: ct));
            return conn;
        }
        catch
        {
            await conn.DisposeAsync();
            throw;
        }
    }

    public async Task<long> LastIdAsync(CancellationToken ct)
    {
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<long>(new CommandDefinition("SELECT coalesce(max(id), 0) FROM ticket_events", cancellationToken: ct));
    }

    public async Task<IReadOnlyList<TicketEventSignal>> ReadAfterAsync(long afterId, int limit, CancellationToken ct)
    {
        const string sql = "SELECT id, ticket_id, type FROM ticket_events WHERE id > @afterId ORDER BY id LIMIT @limit";
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<TicketEventSignal>(new CommandDefinition(sql, new { afterId, limit }, cancellationToken: ct))).AsList();
    }
}

/// <summary>That a timeline row landed: its id, ticket and type (never its payload).</summary>
public sealed record TicketEventSignal(long Id, long TicketId, string Type);
