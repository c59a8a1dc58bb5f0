using Dapper;
using Npgsql;
using OpsDesk.Db.Events;

namespace OpsDesk.Db.Outbox;

/// <summary>
/// What operators do with parked events (<c>opsdesk events parked</c>): list them, replay them once
/// the cause is fixed, or skip them for good. The relay itself parks (<see cref="OutboxStore.CloseBatchAsync"/>).
/// </summary>
public sealed class ParkedEventRepository(NpgsqlDataSource dataSource) : DataAccess(dataSource)
{
    public const string Parked = "parked";
    public const string Replayed = "replayed";
    public const string Skipped = "skipped";

    /// <summary>Parked events oldest first (every state with <paramref name="all"/>), with how many later events of the ticket wait behind each.</summary>
    public async Task<IReadOnlyList<ParkedEventRow>> ListAsync(bool all, int limit, CancellationToken ct)
    {
        const string sql = """
            SELECT p.event_id, p.ticket_id, e.type, p.state, p.reason, p.times_parked, p.parked_at,
                   p.resolved_at, p.resolved_by, e.published_at,
                   CASE WHEN p.state = 'parked' THEN
                       (SELECT count(*) FROM ticket_events l
                        WHERE l.ticket_id = p.ticket_id AND l.id > p.event_id AND l.published_at IS NULL)
                   ELSE 0 END AS held
            FROM outbox_parked p
            JOIN ticket_events e ON e.id = p.event_id
            WHERE @all OR p.state = 'parked'
            ORDER BY p.event_id
            LIMIT @limit
            """;
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<ParkedEventRow>(new CommandDefinition(sql, new { all, limit }, cancellationToken: ct))).AsList();
    }

    /// <summary>
    /// Moves parked events to <paramref name="to"/> (<see cref="Replayed"/> or <see cref="Skipped"/>)
    /// and wakes the relay. Returns each id's state before: null for an id that was never parked.
    /// Only parked events change, so running it twice changes nothing more.
    /// </summary>
    public async Task<IReadOnlyDictionary<long, string?>> ResolveAsync(IReadOnlyCollection<long> eventIds, string to, string by, CancellationToken ct)
    {
        const string before = "SELECT event_id, state FROM outbox_parked WHERE event_id = ANY(@ids) FOR UPDATE";
        const string resolve = """
            UPDATE outbox_parked SET state = @to, resolved_at = now(), resolved_by = @by
            WHERE event_id = ANY(@ids) AND state = 'parked'
            """;
        var ids = eventIds.Distinct().ToArray();
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var states = (await conn.QueryAsync<(long EventId, string State)>(new CommandDefinition(before, new { ids }, tx, cancellationToken: ct)))
            .ToDictionary(r => r.EventId, r => r.State);
        await conn.ExecuteAsync(new CommandDefinition(resolve, new { ids, to, by }, tx, cancellationToken: ct));
        // The relay LISTENs on ticket_events: it looks again at once instead of at its next poll.
        await conn.ExecuteAsync(new CommandDefinition($"SELECT pg_notify('{TicketEventWriter.Channel}', '')", transaction: tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return ids.ToDictionary(id => id, id => states.GetValueOrDefault(id));
    }
}
