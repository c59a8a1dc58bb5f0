using Dapper;
using Npgsql;

namespace OpsDesk.Db.Auth;

/// <summary>Reads and rotates the ownership columns of a ticket (creator and access-token hash).</summary>
public sealed class TicketAccessRepository(NpgsqlDataSource dataSource) : DataAccess(dataSource)
{
    public async Task<TicketOwner?> GetAsync(long ticketId, CancellationToken ct = default)
    {
        const string sql = """
            SELECT id AS ticket_id, created_by_key_id, created_by_subject, access_token_hash
            FROM tickets WHERE id = @ticketId
            """;
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<TicketOwner>(new CommandDefinition(sql, new { ticketId }, cancellationToken: ct));
    }

    /// <summary>Replaces the ticket's access token (an idempotent replay hands out a fresh one; the old one stops working).</summary>
    public async Task SetAccessTokenAsync(long ticketId, byte[] tokenHash, CancellationToken ct = default)
    {
        const string sql = "UPDATE tickets SET access_token_hash = @tokenHash WHERE id = @ticketId";
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(sql, new { ticketId, tokenHash }, cancellationToken: ct));
    }
}
