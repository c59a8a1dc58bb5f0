using Npgsql;
using OpsDesk.Db.Events;
using OpsDesk.Db.Tickets;

namespace OpsDesk.Tests.Support;

/// <summary>Reading a ticket's timeline the way the API does, and raw rows for tests of payload-blind consumers.</summary>
public static class Timeline
{
    /// <summary>The ticket's events, oldest first, through the real read path (<see cref="TicketRepository.GetDetailsAsync"/>).</summary>
    public static async Task<IReadOnlyList<TicketEventRow>> ListAsync(NpgsqlDataSource dataSource, long ticketId) =>
        (await new TicketRepository(dataSource).GetDetailsAsync(ticketId))?.Events ?? [];

    /// <summary>
    /// An event with any payload, bypassing the typed writer: only for tests of what does not read
    /// payloads (the outbox relay publishes them as they are).
    /// </summary>
    public static async Task<long> InsertRawAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, long ticketId, string type, string payloadJson)
    {
        await using var cmd = new NpgsqlCommand(
            "INSERT INTO ticket_events (ticket_id, type, payload) VALUES (@ticketId, @type, @payload::jsonb) RETURNING id", conn, tx);
        cmd.Parameters.AddWithValue("ticketId", ticketId);
        cmd.Parameters.AddWithValue("type", type);
        cmd.Parameters.AddWithValue("payload", payloadJson);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
