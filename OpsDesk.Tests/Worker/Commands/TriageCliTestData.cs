using System.Text.Json.Nodes;
using Dapper;
using Npgsql;
using OpsDesk.Db.Triage;

namespace OpsDesk.Tests.Worker.Commands;

/// <summary>Tickets in a chosen state, written through the real repositories and schema.</summary>
public sealed class TriageCliTestData(string connectionString) : IAsyncDisposable
{
    public NpgsqlDataSource DataSource { get; } = NpgsqlDataSource.Create(connectionString);

    public string ConnectionString { get; } = connectionString;

    public async Task<long> CreateTicketAsync(string? subject = null)
    {
        await using var conn = await DataSource.OpenConnectionAsync();
        return await conn.QuerySingleAsync<long>(
            "INSERT INTO tickets (subject, description, source) VALUES (@subject, 'The card was charged but the order failed.', 'web') RETURNING id",
            new { subject = subject ?? "Payment failed " + Guid.NewGuid().ToString("N")[..8] });
    }

    /// <summary>A ticket whose triage failed in <paramref name="runId"/>, recorded as the workflow records it.</summary>
    public async Task<long> CreateFailedTicketAsync(string runId, string reason = "unauthorized", int attempts = 1, string? subject = null)
    {
        var id = await CreateTicketAsync(subject);
        await new TriageRepository(DataSource).RecordFailureAsync(id, runId, reason, $"openai classifier failed permanently ({reason}): 401", attempts, CancellationToken.None);
        return id;
    }

    public async Task<string> TriageStatusAsync(long ticketId)
    {
        await using var conn = await DataSource.OpenConnectionAsync();
        return await conn.QuerySingleAsync<string>("SELECT triage_status FROM tickets WHERE id = @ticketId", new { ticketId });
    }

    public async Task<long> EventCountAsync(long ticketId, string? type = null)
    {
        await using var conn = await DataSource.OpenConnectionAsync();
        return await conn.QuerySingleAsync<long>(
            "SELECT count(*) FROM ticket_events WHERE ticket_id = @ticketId AND (@type::text IS NULL OR type = @type)", new { ticketId, type });
    }

    public async Task<IReadOnlyList<(JsonNode Payload, string? DedupeKey)>> EventsAsync(long ticketId, string type)
    {
        await using var conn = await DataSource.OpenConnectionAsync();
        var rows = await conn.QueryAsync<(string Payload, string? DedupeKey)>(
            "SELECT payload::text, dedupe_key FROM ticket_events WHERE ticket_id = @ticketId AND type = @type ORDER BY id", new { ticketId, type });
        return rows.Select(r => (JsonNode.Parse(r.Payload)!, r.DedupeKey)).ToList();
    }

    public async Task ExecuteAsync(string sql, object args)
    {
        await using var conn = await DataSource.OpenConnectionAsync();
        await conn.ExecuteAsync(sql, args);
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
