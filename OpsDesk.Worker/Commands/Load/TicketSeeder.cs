using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using OpsDesk.Db.Tickets;

namespace OpsDesk.Worker.Commands.Load;

/// <summary>
/// Bulk-loads generated tickets with their <c>ticket.created</c> events for read benchmarks, using
/// binary COPY. <c>tickets.id</c> is an identity and <c>search</c> a generated column, so each batch
/// COPYs the other columns and then derives the events from the rows above the previous highest id,
/// in the same transaction. Seeded events are marked published: they are history, not news for Kafka.
/// </summary>
public sealed class TicketSeeder(NpgsqlDataSource dataSource)
{
    private const string CopyTickets = """
        COPY tickets (subject, description, source, requester_email, status, category, priority, triage_status,
                      sla_due_at, sla_warning_at, sla_state, created_at, updated_at)
        FROM STDIN (FORMAT BINARY)
        """;

    // A concurrent writer's rows above our starting id already have their event: ON CONFLICT skips them.
    private const string InsertEvents = """
        INSERT INTO ticket_events (ticket_id, type, payload, dedupe_key, occurred_at, published_at)
        SELECT id, 'ticket.created',
               jsonb_build_object('ticketId', id, 'subject', subject, 'source', source, 'status', 'open',
                                  'triageStatus', 'queued', 'hasRequesterEmail', requester_email IS NOT NULL),
               'created', created_at, created_at
        FROM tickets
        WHERE id > @after
        ON CONFLICT (ticket_id, type, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
        """;

    /// <summary>Seeds <paramref name="count"/> tickets in batches, newest last, created over the past year.</summary>
    /// <returns>The number of tickets and events written.</returns>
    public async Task<(long Tickets, long Events)> SeedAsync(
        int count, int batchSize, int randomSeed, Action<long>? progress, CancellationToken ct)
    {
        var random = new Random(randomSeed);
        var now = DateTime.UtcNow;
        var first = now.AddDays(-365);
        var step = (now - first) / Math.Max(1, count);
        long tickets = 0, events = 0;

        for (var done = 0; done < count; done += batchSize)
        {
            var size = Math.Min(batchSize, count - done);
            await using var conn = await dataSource.OpenConnectionAsync(ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            long after;
            await using (var max = new NpgsqlCommand("SELECT coalesce(max(id), 0) FROM tickets", conn, tx))
                after = (long)(await max.ExecuteScalarAsync(ct))!;

            await using (var writer = await conn.BeginBinaryImportAsync(CopyTickets, ct))
            {
                for (var i = 0; i < size; i++)
                {
                    var created = first + (step * (done + i));
                    await WriteRowAsync(writer, TicketFaker.Next(random), created, random, ct);
                }

                tickets += (long)await writer.CompleteAsync(ct);
            }

            await using (var insert = new NpgsqlCommand(InsertEvents, conn, tx))
            {
                insert.Parameters.AddWithValue("after", after);
                events += await insert.ExecuteNonQueryAsync(ct);
            }

            await tx.CommitAsync(ct);
            progress?.Invoke(tickets);
        }

        return (tickets, events);
    }

    /// <summary>Refreshes planner statistics and the visibility map, as an operator would after a bulk load.</summary>
    public async Task VacuumAnalyzeAsync(CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand("VACUUM (ANALYZE) tickets, ticket_events", conn) { CommandTimeout = 0 };
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task WriteRowAsync(NpgsqlBinaryImporter writer, FakeTicket ticket, DateTime created, Random random, CancellationToken ct)
    {
        var triage = TicketFaker.SeedTriageStatus(random);
        var classified = triage == TriageStatuses.Classified;
        var status = TicketFaker.SeedStatus(random);

        await writer.StartRowAsync(ct);
        await writer.WriteAsync(ticket.Subject, NpgsqlDbType.Text, ct);
        await writer.WriteAsync(ticket.Description, NpgsqlDbType.Text, ct);
        await writer.WriteAsync(ticket.Source, NpgsqlDbType.Text, ct);
        await WriteNullableAsync(writer, ticket.RequesterEmail, ct);
        await writer.WriteAsync(status, NpgsqlDbType.Text, ct);
        await WriteNullableAsync(writer, classified ? ticket.Category : null, ct);
        await WriteNullableAsync(writer, classified ? ticket.Priority : null, ct);
        await writer.WriteAsync(triage, NpgsqlDbType.Text, ct);
        if (classified)
        {
            var due = created.AddHours(ticket.Priority switch { "P0" => 4, "P1" => 8, "P2" => 24, _ => 72 });
            await writer.WriteAsync(due, NpgsqlDbType.TimestampTz, ct);
            await writer.WriteAsync(created + ((due - created) * 0.75), NpgsqlDbType.TimestampTz, ct);
            await writer.WriteAsync(status is TicketStatuses.Resolved or TicketStatuses.Closed ? "completed" : "running", NpgsqlDbType.Text, ct);
        }
        else
        {
            await writer.WriteNullAsync(ct);
            await writer.WriteNullAsync(ct);
            await writer.WriteNullAsync(ct);
        }

        await writer.WriteAsync(created, NpgsqlDbType.TimestampTz, ct);
        await writer.WriteAsync(created, NpgsqlDbType.TimestampTz, ct);
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter writer, string? value, CancellationToken ct) =>
        value is null ? writer.WriteNullAsync(ct) : writer.WriteAsync(value, NpgsqlDbType.Text, ct);

    /// <summary>Rows per second, for progress lines.</summary>
    public static double Rate(long rows, Stopwatch watch) => rows / Math.Max(0.001, watch.Elapsed.TotalSeconds);
}
