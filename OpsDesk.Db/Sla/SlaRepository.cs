using Dapper;
using Npgsql;
using OpsDesk.Db.Events;

namespace OpsDesk.Db.Sla;

/// <summary>Reads a ticket for the SLA clock and writes the clock's events and columns.</summary>
public sealed class SlaRepository(NpgsqlDataSource dataSource) : DataAccess(dataSource)
{
    /// <summary>
    /// SQL condition on <c>ticket_events</c>: an agent's public comment (the first one is the first
    /// response). Written exactly as the partial index of migration 0008 so the planner can use it.
    /// </summary>
    public const string PublicAgentComment =
        $"type = '{EventTypes.CommentAdded}' AND payload->>'authorKind' = 'agent' AND payload->>'public' = 'true'";

    /// <summary>The ticket as the SLA clock sees it, or null when there is no such ticket.</summary>
    public async Task<SlaTicketSnapshot?> GetSnapshotAsync(long ticketId, CancellationToken ct = default)
    {
        const string sql = $"""
            SELECT id, created_at, updated_at, status, priority FROM tickets WHERE id = @ticketId;
            SELECT id AS event_id, payload->>'to' AS "to", occurred_at
            FROM ticket_events WHERE ticket_id = @ticketId AND type = '{EventTypes.StatusChanged}' ORDER BY id;
            SELECT type || ':' || dedupe_key FROM ticket_events
            WHERE ticket_id = @ticketId AND type LIKE 'sla.%' AND dedupe_key IS NOT NULL ORDER BY id;
            SELECT min(occurred_at) FROM ticket_events
            WHERE ticket_id = @ticketId AND {PublicAgentComment};
            SELECT coalesce(max(id), 0) FROM ticket_events
            WHERE ticket_id = @ticketId
              AND (type IN ('{EventTypes.StatusChanged}', '{EventTypes.PriorityChanged}') OR {PublicAgentComment});
            """;
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        // One snapshot for all five reads, so the change id matches the status and priority read.
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        await using var grid = await conn.QueryMultipleAsync(new CommandDefinition(sql, new { ticketId }, tx, cancellationToken: ct));
        var ticket = await grid.ReadSingleOrDefaultAsync<TicketHead>();
        if (ticket is null)
            return null;
        var changes = (await grid.ReadAsync<StatusChangeRow>()).Select(c => new SlaStatusChange(c.EventId, c.To ?? "", c.OccurredAt)).ToList();
        var keys = (await grid.ReadAsync<string>()).AsList();
        var firstReply = await grid.ReadSingleAsync<DateTime?>();
        var last = await grid.ReadSingleAsync<long>();
        return new SlaTicketSnapshot(ticket.Id, ticket.CreatedAt, ticket.UpdatedAt, ticket.Status, ticket.Priority, changes, keys, last, firstReply);
    }

    /// <summary>
    /// Appends the event (a second call with the same dedupe key writes no second row) at
    /// <paramref name="occurredAt"/> — the moment the clock decided, not when the write happened to
    /// run — and sets the ticket's SLA columns, in one transaction. Returns the event's id.
    /// </summary>
    public async Task<long> RecordEventAsync<TEvent>(
        long ticketId, TEvent payload, string dedupeKey, DateTime occurredAt, SlaColumns columns, CancellationToken ct = default)
        where TEvent : SlaEvent, ITicketEvent
    {
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var id = await TicketEventWriter.AppendAsync(conn, tx, ticketId, payload, dedupeKey, ct, occurredAt);
        await UpdateColumnsAsync(conn, tx, ticketId, columns, ct);
        await tx.CommitAsync(ct);
        return id;
    }

    /// <summary>Sets the ticket's SLA columns without a timeline event (clock started, paused).</summary>
    public async Task SaveStateAsync(long ticketId, SlaColumns columns, CancellationToken ct = default)
    {
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        await UpdateColumnsAsync(conn, null, ticketId, columns, ct);
    }

    private static async Task UpdateColumnsAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, long ticketId, SlaColumns columns, CancellationToken ct)
    {
        // A single-target clock has no first-response target: its columns stay as they are (null).
        const string sql = """
            UPDATE tickets SET sla_due_at = @DueAt, sla_warning_at = @WarningAt, sla_state = @State,
                sla_first_response_due_at = coalesce(@FirstResponseDueAt, sla_first_response_due_at),
                sla_first_response_warning_at = coalesce(@FirstResponseWarningAt, sla_first_response_warning_at),
                sla_first_response_state = coalesce(@FirstResponseState, sla_first_response_state),
                sla_resolution_due_at = @ResolutionDueAt, sla_resolution_warning_at = @ResolutionWarningAt, sla_resolution_state = @ResolutionState
            WHERE id = @ticketId
            """;
        var (summary, first, resolution) = (columns.Summary, columns.FirstResponse, columns.Resolution);
        var args = new
        {
            ticketId,
            summary.DueAt,
            summary.WarningAt,
            summary.State,
            FirstResponseDueAt = first?.DueAt,
            FirstResponseWarningAt = first?.WarningAt,
            FirstResponseState = first?.State,
            ResolutionDueAt = resolution.DueAt,
            ResolutionWarningAt = resolution.WarningAt,
            ResolutionState = resolution.State,
        };
        var rows = await conn.ExecuteAsync(new CommandDefinition(sql, args, tx, cancellationToken: ct));
        if (rows == 0)
            throw new InvalidOperationException($"Ticket {ticketId} does not exist.");
    }

    private sealed class TicketHead
    {
        public long Id { get; init; }
        public DateTime CreatedAt { get; init; }
        public DateTime UpdatedAt { get; init; }
        public string Status { get; init; } = "";
        public string? Priority { get; init; }
    }

    private sealed class StatusChangeRow
    {
        public long EventId { get; init; }
        public string? To { get; init; }
        public DateTime OccurredAt { get; init; }
    }
}
