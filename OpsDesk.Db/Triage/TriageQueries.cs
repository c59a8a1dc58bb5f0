using Dapper;
using Npgsql;
using OpsDesk.Db.Events;

namespace OpsDesk.Db.Triage;

/// <summary>The reads and writes of the ops CLI's <c>triage</c> commands.</summary>
public sealed class TriageQueries(NpgsqlDataSource dataSource) : DataAccess(dataSource)
{
    // The latest ticket.triage_failed of each ticket, joined on; the payload is the one RecordFailureAsync writes.
    private const string FailedSelect = $"""
        SELECT t.id AS ticket_id, t.subject, t.source, t.triage_status,
               f.payload->>'reason' AS reason, f.payload->>'message' AS message,
               (f.payload->>'attempts')::int AS attempts, f.payload->>'runId' AS run_id,
               f.id AS failed_event_id, COALESCE(f.occurred_at, t.updated_at) AS failed_at
        FROM tickets t
        LEFT JOIN LATERAL (
            SELECT e.id, e.payload, e.occurred_at FROM ticket_events e
            WHERE e.ticket_id = t.id AND e.type = '{EventTypes.TriageFailed}'
            ORDER BY e.id DESC LIMIT 1) f ON true
        """;

    /// <summary>Tickets whose triage_status is failed, failed after <paramref name="sinceUtc"/>, newest first.</summary>
    public async Task<IReadOnlyList<FailedTriageRow>> ListFailedAsync(DateTime sinceUtc, int limit, CancellationToken ct)
    {
        const string sql = FailedSelect + """

            WHERE t.triage_status = 'failed' AND COALESCE(f.occurred_at, t.updated_at) > @sinceUtc
            ORDER BY failed_at DESC, t.id DESC
            LIMIT @limit
            """;
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<FailedTriageRow>(new CommandDefinition(sql, new { sinceUtc, limit }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>The given tickets (whatever their triage status) with their latest failure; unknown ids are absent.</summary>
    public async Task<IReadOnlyDictionary<long, FailedTriageRow>> GetManyAsync(IReadOnlyCollection<long> ticketIds, CancellationToken ct)
    {
        const string sql = FailedSelect + "\nWHERE t.id = ANY(@ids)";
        if (ticketIds.Count == 0)
            return new Dictionary<long, FailedTriageRow>();
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<FailedTriageRow>(new CommandDefinition(sql, new { ids = ticketIds.Distinct().ToArray() }, cancellationToken: ct));
        return rows.ToDictionary(r => r.TicketId);
    }

    /// <summary>The ticket, its SLA columns, its latest triage failure and how often its triage was retried; null if it does not exist.</summary>
    public async Task<TriageOverviewRow?> GetOverviewAsync(long ticketId, CancellationToken ct)
    {
        const string sql = $"""
            SELECT t.id AS ticket_id, t.subject, t.source, t.status, t.triage_status, t.priority, t.category,
                   t.sla_state, t.sla_due_at, t.sla_warning_at, t.updated_at,
                   f.payload->>'reason' AS failure_reason, f.payload->>'message' AS failure_message,
                   (f.payload->>'attempts')::int AS failure_attempts, f.payload->>'runId' AS failure_run_id,
                   f.occurred_at AS failed_at,
                   r.retries, r.last_retried_at
            FROM tickets t
            LEFT JOIN LATERAL (
                SELECT e.payload, e.occurred_at FROM ticket_events e
                WHERE e.ticket_id = t.id AND e.type = '{EventTypes.TriageFailed}'
                ORDER BY e.id DESC LIMIT 1) f ON true
            CROSS JOIN LATERAL (
                SELECT count(*)::int AS retries, max(e.occurred_at) AS last_retried_at FROM ticket_events e
                WHERE e.ticket_id = t.id AND e.type = '{EventTypes.TriageRetried}') r
            WHERE t.id = @ticketId
            """;
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<TriageOverviewRow>(new CommandDefinition(sql, new { ticketId }, cancellationToken: ct));
    }

    /// <summary>
    /// Records a retry before the new run starts, in one transaction: <c>triage_status=queued</c> (unless
    /// already classified) and one <c>ticket.triage_retried</c>. The dedupe key names the run being
    /// retried, so retrying the same failed run twice writes one event. If the start then fails, the
    /// ticket is queued and the reconciler starts it. Returns false when the event already existed.
    /// </summary>
    public async Task<bool> RecordRetryAsync(long ticketId, string dedupeKey, TriageRetriedEvent retried, CancellationToken ct)
    {
        const string exists = "SELECT EXISTS (SELECT 1 FROM ticket_events WHERE ticket_id = @ticketId AND type = @type AND dedupe_key = @dedupeKey)";
        const string update = """
            UPDATE tickets SET triage_status = 'queued', updated_at = now()
            WHERE id = @ticketId AND triage_status <> 'classified'
            """;
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var existed = await conn.ExecuteScalarAsync<bool>(new CommandDefinition(exists, new { ticketId, type = EventTypes.TriageRetried, dedupeKey }, tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition(update, new { ticketId }, tx, cancellationToken: ct));
        await TicketEventWriter.AppendAsync(conn, tx, ticketId, retried, dedupeKey, ct);
        await tx.CommitAsync(ct);
        return !existed;
    }
}
