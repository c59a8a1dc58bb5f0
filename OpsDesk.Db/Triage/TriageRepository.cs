using Dapper;
using Npgsql;
using OpsDesk.Db.Events;
using OpsDesk.Db.Tickets;

namespace OpsDesk.Db.Triage;

/// <summary>The triage's reads and writes. Each method is idempotent: running it twice leaves the same rows.</summary>
public sealed class TriageRepository(NpgsqlDataSource dataSource) : DataAccess(dataSource)
{
    private const string Columns = "id, subject, description, source, status, triage_status, priority, category, created_at";

    /// <summary>Marks the triage running (unless already classified) and returns the ticket; null if it does not exist.</summary>
    public async Task<TriageTicket?> StartAsync(long ticketId, CancellationToken ct)
    {
        const string sql = $"""
            UPDATE tickets SET triage_status = 'running', updated_at = now()
            WHERE id = @ticketId AND triage_status <> 'classified'
            RETURNING {Columns};
            """;
        const string read = $"SELECT {Columns} FROM tickets WHERE id = @ticketId";
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<TriageTicket>(new CommandDefinition(sql, new { ticketId }, cancellationToken: ct))
            ?? await conn.QuerySingleOrDefaultAsync<TriageTicket>(new CommandDefinition(read, new { ticketId }, cancellationToken: ct));
    }

    public async Task<TriageTicket?> GetAsync(long ticketId, CancellationToken ct)
    {
        const string sql = $"SELECT {Columns} FROM tickets WHERE id = @ticketId";
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<TriageTicket>(new CommandDefinition(sql, new { ticketId }, cancellationToken: ct));
    }

    /// <summary>
    /// In one transaction: upserts <c>ticket_ai</c>, sets the ticket's category, priority (an agent's
    /// earlier choice wins) and <c>triage_status=classified</c>, and appends one <c>ticket.classified</c>.
    /// </summary>
    public async Task SaveAsync(TriageResultRow result, CancellationToken ct)
    {
        const string upsertAi = """
            INSERT INTO ticket_ai (ticket_id, summary, category, priority, entities, citations, confidence, language, sentiment, provider, model, prompt_version)
            VALUES (@TicketId, @Summary, @Category, @Priority, @EntitiesJson::jsonb, @CitationsJson::jsonb, @Confidence, @Language, @Sentiment, @Provider, @Model, @PromptVersion)
            ON CONFLICT (ticket_id) DO UPDATE SET
                summary = EXCLUDED.summary, category = EXCLUDED.category, priority = EXCLUDED.priority,
                entities = EXCLUDED.entities, citations = EXCLUDED.citations, confidence = EXCLUDED.confidence, language = EXCLUDED.language,
                sentiment = EXCLUDED.sentiment, provider = EXCLUDED.provider, model = EXCLUDED.model,
                prompt_version = EXCLUDED.prompt_version, updated_at = now()
            """;
        const string updateTicket = """
            UPDATE tickets SET category = @Category, priority = COALESCE(priority, @Priority),
                               triage_status = 'classified', updated_at = now()
            WHERE id = @TicketId
            RETURNING priority
            """;

        await using var conn = await DataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(upsertAi, result, tx, cancellationToken: ct));
        var effectivePriority = await conn.QuerySingleAsync<string>(new CommandDefinition(updateTicket, result, tx, cancellationToken: ct));
        var classified = new TicketClassifiedEvent(
            WireNames.Parse<TicketCategory>(result.Category),
            WireNames.Parse<TicketPriority>(effectivePriority),
            WireNames.Parse<TicketPriority>(result.Priority),
            Math.Round(result.Confidence, 3),
            result.Language,
            result.Sentiment,
            result.Provider,
            result.Model,
            result.PromptVersion);
        await TicketEventWriter.AppendAsync(conn, tx, result.TicketId, classified, "classified", ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// Records a failed triage run: <c>triage_status=failed</c> and one <c>ticket.triage_failed</c>
    /// per workflow run (the run id is the dedupe key), in one transaction.
    /// </summary>
    public async Task RecordFailureAsync(long ticketId, string runId, string reason, string message, int attempts, CancellationToken ct)
    {
        const string update = """
            UPDATE tickets SET triage_status = 'failed', updated_at = now()
            WHERE id = @ticketId AND triage_status <> 'classified'
            """;
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(update, new { ticketId }, tx, cancellationToken: ct));
        await TicketEventWriter.AppendAsync(conn, tx, ticketId, new TriageFailedEvent(reason, message, attempts, runId), "run:" + runId, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Tickets still queued after <paramref name="olderThan"/>, oldest first.</summary>
    public async Task<IReadOnlyList<(long Id, string Source)>> ListQueuedAsync(TimeSpan olderThan, int limit, CancellationToken ct)
    {
        const string sql = """
            SELECT id, source FROM tickets
            WHERE triage_status = 'queued' AND created_at < now() - @olderThan
            ORDER BY created_at LIMIT @limit
            """;
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(long, string)>(new CommandDefinition(sql, new { olderThan, limit }, cancellationToken: ct));
        return rows.AsList();
    }
}
