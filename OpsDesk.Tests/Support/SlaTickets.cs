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
}
