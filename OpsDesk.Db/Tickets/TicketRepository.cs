using System.Text;
using Dapper;
using Npgsql;
using OpsDesk.Db.Comments;
using OpsDesk.Db.Events;

namespace OpsDesk.Db.Tickets;

/// <summary>Reads and writes tickets. Every write that belongs together shares one transaction.</summary>
public sealed class TicketRepository(NpgsqlDataSource dataSource) : DataAccess(dataSource)
{
    internal const string TicketColumns =
        "id, subject, description, source, requester_email, status, category, priority, triage_status, " +
        "sla_due_at, sla_warning_at, sla_state, sla_first_response_due_at, sla_first_response_warning_at, sla_first_response_state, " +
        "sla_resolution_due_at, sla_resolution_warning_at, sla_resolution_state, created_at, updated_at, " +
        "assignee_id, tags, last_public_comment_by";

    /// <summary>
    /// Inserts the ticket and its <c>ticket.created</c> event in one transaction: one statement
    /// whose first CTE inserts the ticket and whose second inserts the event from the returned row,
    /// so PostgreSQL commits both or neither, in one round trip. With an idempotency key, a second
    /// call returns the first ticket (same request) or reports a conflict (different request); the
    /// unique index makes concurrent calls create one row.
    /// </summary>
    public async Task<InsertTicketResult> InsertAsync(NewTicket ticket, CancellationToken ct = default)
    {
        // The event's payload is serialised here; only the ticket id, drawn by the insert, is set
        // in SQL. A new ticket is open and queued (the column defaults).
        const string sql = $$"""
            WITH t AS (
                INSERT INTO tickets (subject, description, source, requester_email, idempotency_key, request_hash,
                                     created_by_key_id, created_by_subject, access_token_hash)
                VALUES (@Subject, @Description, @Source, @RequesterEmail, @IdempotencyKey, @RequestHash,
                        @CreatedByKeyId, @CreatedBySubject, @AccessTokenHash)
                ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
                RETURNING {{TicketColumns}}
            ), e AS (
                {{TicketEventWriter.InsertColumns}}
                SELECT id, @EventType, jsonb_set(@EventPayload::jsonb, '{ticketId}', to_jsonb(id)), 'created', created_at
                FROM t
            )
            SELECT {{TicketColumns}} FROM t
            """;

        var created = new TicketCreatedEvent(
            TicketId: 0, ticket.Subject, ticket.Source, TicketStatus.Open, TriageStatus.Queued, HasRequesterEmail: ticket.RequesterEmail is not null);
        var args = new DynamicParameters(ticket);
        args.Add("EventType", TicketCreatedEvent.Type);
        args.Add("EventPayload", TicketEventWriter.Serialize(created));
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<TicketRow>(new CommandDefinition(sql, args, cancellationToken: ct));
        if (row is not null)
            return new InsertTicketResult(InsertOutcome.Created, row);

        // Another request with this key won (it may have committed a moment ago: ON CONFLICT
        // waited for it). Nothing of ours was written.
        return await ExistingForKeyAsync(conn, ticket, ct);
    }

    private static async Task<InsertTicketResult> ExistingForKeyAsync(NpgsqlConnection conn, NewTicket ticket, CancellationToken ct)
    {
        // The database compares the stored request hash; the row maps to the one TicketRow shape.
        const string sql = $"SELECT {TicketColumns}, request_hash = @RequestHash AS same_request FROM tickets WHERE idempotency_key = @IdempotencyKey";
        var rows = await conn.QueryAsync<TicketRow, bool, (TicketRow Row, bool Same)>(
            new CommandDefinition(sql, new { ticket.IdempotencyKey, ticket.RequestHash }, cancellationToken: ct),
            (row, same) => (row, same),
            splitOn: "same_request");
        var (existing, sameRequest) = rows.Single();
        return new InsertTicketResult(sameRequest ? InsertOutcome.Replayed : InsertOutcome.KeyConflict, existing);
    }

    public async Task<TicketRow?> GetAsync(long id, CancellationToken ct = default)
    {
        const string sql = $"SELECT {TicketColumns} FROM tickets WHERE id = @id";
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<TicketRow>(new CommandDefinition(sql, new { id }, cancellationToken: ct));
    }

    /// <summary>The ticket, its AI result and its whole timeline (internal notes' events included), read in one round trip.</summary>
    public Task<TicketDetails?> GetDetailsAsync(long id, CancellationToken ct = default) => GetDetailsAsync(id, includeInternalNotes: true, ct);

    /// <summary>
    /// The ticket, its AI result and its timeline, read in one round trip. Without
    /// <paramref name="includeInternalNotes"/> the events of internal notes are left out (<see cref="InternalNotes"/>).
    /// </summary>
    public async Task<TicketDetails?> GetDetailsAsync(long id, bool includeInternalNotes, CancellationToken ct = default)
    {
        const string sql = $"""
            SELECT {TicketColumns} FROM tickets WHERE id = @id;
            SELECT ticket_id, summary, category, priority, entities::text AS entities, citations::text AS citations,
                   confidence, language, sentiment, provider, model, prompt_version, created_at, updated_at
            FROM ticket_ai WHERE ticket_id = @id;
            SELECT id, ticket_id, type, payload::text AS payload, dedupe_key, occurred_at, published_at
            FROM ticket_events WHERE ticket_id = @id AND (@includeInternalNotes OR NOT {InternalNotes.EventSql}) ORDER BY id;
            """;
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        await using var grid = await conn.QueryMultipleAsync(new CommandDefinition(sql, new { id, includeInternalNotes }, cancellationToken: ct));
        var ticket = await grid.ReadSingleOrDefaultAsync<TicketRow>();
        if (ticket is null)
            return null;
        var ai = await grid.ReadSingleOrDefaultAsync<TicketAiRow>();
        var events = (await grid.ReadAsync<TicketEventRow>()).AsList();
        return new TicketDetails(ticket, ai, events);
    }

    /// <summary>The SLA states a list can filter on (<see cref="TicketListQuery.SlaState"/>); each has a partial index.</summary>
    public static IReadOnlyList<string> SlaFilterStates { get; } = ["warned", "breached"];

    /// <summary>
    /// A page of tickets, newest first, by keyset on id. Every filter combines with the others; each has
    /// an index ordered by id (migrations 0001, 0002, 0007), so a page reads about <c>limit</c> entries of
    /// the most selective one (TicketListPlanTests checks the plans at 100,000 tickets).
    /// </summary>
    public async Task<TicketPage> ListAsync(TicketListQuery query, CancellationToken ct = default)
    {
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        var rows = (await conn.QueryAsync<TicketRow>(ListCommand(query, ct))).AsList();
        long? next = null;
        if (rows.Count > query.Limit)
        {
            rows.RemoveAt(rows.Count - 1);
            next = rows[^1].Id;
        }

        return new TicketPage(rows, next);
    }

    /// <summary>The statement of one list page (one row more than the limit, to tell whether a next page exists); public so its plan can be checked.</summary>
    public static CommandDefinition ListCommand(TicketListQuery query, CancellationToken ct = default)
    {
        // With a tag, the page walks the tag's (tag, ticket_id) index newest first and looks each ticket up by
        // primary key, applying the other filters there: a nested loop the planner cannot flatten into a
        // merge join over the whole id range (OFFSET 0 keeps the lateral subquery as it is).
        var byTag = query.Tag is not null;
        var sql = new StringBuilder($"SELECT {TicketColumns} FROM ");
        var args = new DynamicParameters();
        if (byTag)
        {
            sql.Append("(SELECT ticket_id FROM ticket_tags WHERE tag = @tag");
            if (query.BeforeId is not null)
                sql.Append(" AND ticket_id < @before");
            sql.Append(") g CROSS JOIN LATERAL (SELECT ").Append(TicketColumns).Append(" FROM tickets WHERE id = g.ticket_id");
            args.Add("tag", query.Tag);
        }
        else
        {
            sql.Append("tickets WHERE true");
        }

        AddFilter(sql, args, "status", query.Status);
        AddFilter(sql, args, "priority", query.Priority);
        AddFilter(sql, args, "category", query.Category);
        AddFilter(sql, args, "source", query.Source);
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            sql.Append(" AND search @@ websearch_to_tsquery('english', @q)");
            args.Add("q", query.Search);
        }

        if (query.CreatedByKeyId is { } keyId)
        {
            sql.Append(" AND created_by_key_id = @keyId");
            args.Add("keyId", keyId);
        }

        AddFilter(sql, args, "created_by_subject", query.CreatedBySubject);
        AddFilter(sql, args, "assignee_id", query.AssigneeId);
        // Constants, not parameters, where a partial index's predicate must be provable from the query
        // in a generic (prepared) plan too. Only the fixed strings below ever reach the SQL.
        if (query.Unassigned)
            sql.Append(" AND assignee_id IS NULL");
        if (query.AwaitingAgent)
            sql.Append(" AND last_public_comment_by = 'requester'");
        if (query.SlaState is { } sla)
            sql.Append(" AND sla_state = '").Append(SlaFilterStates.Single(s => s == sla)).Append('\'');
        if (query.BeforeId is { } before)
        {
            if (!byTag)
                sql.Append(" AND id < @before");
            args.Add("before", before);
        }

        sql.Append(byTag ? " OFFSET 0) t ORDER BY g.ticket_id DESC LIMIT @take" : " ORDER BY id DESC LIMIT @take");
        args.Add("take", query.Limit + 1);

        return new CommandDefinition(sql.ToString(), args, cancellationToken: ct);
    }

    private static void AddFilter<T>(StringBuilder sql, DynamicParameters args, string column, T? value)
    {
        if (value is null)
            return;
        sql.Append(" AND ").Append(column).Append(" = @").Append(column);
        args.Add(column, value);
    }
}
