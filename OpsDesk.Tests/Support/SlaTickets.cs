using Npgsql;
using OpsDesk.Db.Events;
using OpsDesk.Db.Tickets;

namespace OpsDesk.Tests.Support;

/// <summary>Tickets in the test database with the creation time and priority an SLA test needs.</summary>
public static class SlaTickets
{
    public static async Task<long> CreateAsync(DateTime createdAt, string? priority, string status = TicketStatuses.Open)
    {
        var repo = new TicketRepository(TestDatabase.DataSource);
        var result = await repo.InsertAsync(new NewTicket("SLA " + Guid.NewGuid().ToString("N")[..8], "Clock test", "api", null, null, null));
        var id = result.Ticket.Id;
        await using var cmd = TestDatabase.DataSource.CreateCommand(
            "UPDATE tickets SET created_at = @created, priority = @priority, status = @status WHERE id = @id");
        cmd.Parameters.AddWithValue("created", createdAt);
        cmd.Parameters.AddWithValue("priority", (object?)priority ?? DBNull.Value);
        cmd.Parameters.AddWithValue("status", status);
        cmd.Parameters.AddWithValue("id", id);
        await cmd.ExecuteNonQueryAsync();
        return id;
    }

    public static async Task<long> CountEventsAsync(long ticketId, string type) =>
        await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM ticket_events WHERE ticket_id = @id AND type = @type", ("id", ticketId), ("type", type));

    /// <summary>
    /// A comment's <c>ticket.comment_added</c> event, written through the real writer exactly as the comment
    /// endpoint writes it (the endpoint itself is not what these tests are about); returns the event id.
    /// </summary>
    public static async Task<long> CommentEventAsync(NpgsqlDataSource dataSource, long ticketId, CommentAuthorKind author, bool isPublic)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        var payload = new CommentAddedEvent(Random.Shared.NextInt64(1, long.MaxValue), author, author == CommentAuthorKind.Agent ? 7 : null, isPublic);
        return await TicketEventWriter.AppendAsync(conn, null, ticketId, payload, null, CancellationToken.None);
    }
}
