using Dapper;
using Npgsql;
using OpsDesk.Db.Events;

namespace OpsDesk.Db.Sla;

/// <summary>
/// The changes a consumer (the SLA dispatcher) has not yet delivered, read from the timeline in id
/// order — status and priority changes, and each ticket's first public agent comment (its first
/// response) — and the record that it delivered one (<c>processed_events</c>).
/// </summary>
public sealed class SlaChangeFeed(NpgsqlDataSource dataSource) : DataAccess(dataSource)
{
    public const string Consumer = "sla-dispatcher";

    public async Task<IReadOnlyList<SlaChangeEvent>> ListUndeliveredAsync(int limit, string consumer = Consumer, CancellationToken ct = default)
    {
        const string sql = $"""
            SELECT e.id, e.ticket_id, e.type,
                   CASE WHEN e.type = '{EventTypes.CommentAdded}' THEN e.payload->>'authorKind' ELSE e.payload->>'to' END AS "value",
                   e.occurred_at
            FROM ticket_events e
            WHERE (e.type IN ('{EventTypes.StatusChanged}', '{EventTypes.PriorityChanged}')
                   OR ({SlaRepository.PublicAgentComment}
                       AND NOT EXISTS (SELECT 1 FROM ticket_events c
                                       WHERE c.ticket_id = e.ticket_id AND c.id < e.id AND {SlaRepository.PublicAgentComment})))
              AND NOT EXISTS (SELECT 1 FROM processed_events p WHERE p.consumer = @consumer AND p.event_id = e.id)
            ORDER BY e.id
            LIMIT @limit
            """;
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<SlaChangeEvent>(new CommandDefinition(sql, new { consumer, limit }, cancellationToken: ct))).AsList();
    }

    /// <summary>Records the event as delivered; recording it twice is harmless.</summary>
    public async Task MarkProcessedAsync(long eventId, string consumer = Consumer, CancellationToken ct = default)
    {
        const string sql = """
            INSERT INTO processed_events (consumer, event_id) VALUES (@consumer, @eventId)
            ON CONFLICT (consumer, event_id) DO NOTHING
            """;
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(sql, new { consumer, eventId }, cancellationToken: ct));
    }
}
