using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using OpsDesk.Bench.Tickets;
using OpsDesk.Db.Events;
using OpsDesk.Db.Sla;
using OpsDesk.Db.Tickets;
using OpsDesk.Workflows.Sla;

namespace OpsDesk.Bench.Seed;

/// <summary>
/// Bulk-loads generated tickets with their <c>ticket.created</c> events for read benchmarks. Each batch
/// is binary-COPYed into a session-local staging table, then one statement moves it into
/// <c>tickets</c> (whose <c>id</c> is an identity and <c>search</c> a generated column) and derives the
/// events from the ids it returned, so batches can run in parallel on several connections and a
/// batch's tickets and events commit together. Seeded events are marked published: they are history,
/// not news for Kafka. Classified tickets get the SLA deadline and warning time the SLA workflow
/// computes (<see cref="SlaClock"/>) under <paramref name="sla"/>.
/// </summary>
public sealed class TicketSeeder(NpgsqlDataSource dataSource, SlaPolicy sla)
{
    private const string Columns =
        "subject, description, source, requester_email, status, category, priority, triage_status, " +
        "sla_due_at, sla_warning_at, sla_state, created_at, updated_at";

    private const string CreateStaging = """
        CREATE TEMP TABLE IF NOT EXISTS seed_tickets (
            subject text, description text, source text, requester_email text, status text, category text,
            priority text, triage_status text, sla_due_at timestamptz, sla_warning_at timestamptz, sla_state text,
            created_at timestamptz, updated_at timestamptz
        ) ON COMMIT DELETE ROWS
        """;

    private const string CopyStaging = $"COPY seed_tickets ({Columns}) FROM STDIN (FORMAT BINARY)";

    // The event is the API's own ticket.created (TicketCreatedEvent, serialised by the timeline writer);
    // only what differs per ticket is set in SQL, as TicketRepository.InsertAsync sets the id.
    private const string MoveStaging = $$"""
        WITH t AS (
            INSERT INTO tickets ({{Columns}})
            SELECT {{Columns}} FROM seed_tickets
            RETURNING id, subject, source, requester_email, created_at)
        INSERT INTO ticket_events (ticket_id, type, payload, dedupe_key, occurred_at, published_at)
        SELECT id, @EventType,
               @EventPayload::jsonb || jsonb_build_object('ticketId', id, 'subject', subject, 'source', source,
                                                         'hasRequesterEmail', requester_email IS NOT NULL),
               'created', created_at, created_at
        FROM t
        """;

    /// <summary>A new ticket's event; the per-ticket fields are overwritten in <see cref="MoveStaging"/>.</summary>
    private static readonly string CreatedTemplate = TicketEventWriter.Serialize(
        new TicketCreatedEvent(0, "", "", TicketStatus.Open, TriageStatus.Queued, HasRequesterEmail: false));

    /// <summary>
    /// Seeds <paramref name="count"/> tickets in batches on up to <paramref name="parallel"/> connections,
    /// created over the past year. The data depends only on <paramref name="randomSeed"/>.
    /// </summary>
    /// <returns>The number of tickets and events written.</returns>
    public async Task<(long Tickets, long Events)> SeedAsync(
        int count, int batchSize, int parallel, int randomSeed, Action<long>? progress, CancellationToken ct)
    {
        var now = DateTime.UtcNow;
        var first = now.AddDays(-365);
        var step = (now - first) / Math.Max(1, count);
        var batches = (count + batchSize - 1) / batchSize;
        long tickets = 0, events = 0;

        await Parallel.ForEachAsync(Enumerable.Range(0, batches),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallel), CancellationToken = ct },
            async (batch, token) =>
            {
                var offset = batch * batchSize;
                var size = Math.Min(batchSize, count - offset);
                var random = new Random(HashCode.Combine(randomSeed, batch));
                await using var conn = await dataSource.OpenConnectionAsync(token);
                await using (var create = new NpgsqlCommand(CreateStaging, conn))
                    await create.ExecuteNonQueryAsync(token);

                await using var tx = await conn.BeginTransactionAsync(token);
                await using (var writer = await conn.BeginBinaryImportAsync(CopyStaging, token))
                {
                    for (var i = 0; i < size; i++)
                        await WriteRowAsync(writer, TicketFaker.Next(random), first + (step * (offset + i)), random, token);
                    Interlocked.Add(ref tickets, (long)await writer.CompleteAsync(token));
                }

                await using (var move = new NpgsqlCommand(MoveStaging, conn, tx) { CommandTimeout = 0 })
                {
                    move.Parameters.AddWithValue("EventType", TicketCreatedEvent.Type);
                    move.Parameters.AddWithValue("EventPayload", CreatedTemplate);
                    Interlocked.Add(ref events, await move.ExecuteNonQueryAsync(token));
                }

                await tx.CommitAsync(token);
                progress?.Invoke(Interlocked.Read(ref tickets));
            });

        return (tickets, events);
    }

    /// <summary>Refreshes planner statistics and the visibility map, as an operator would after a bulk load.</summary>
    public async Task VacuumAnalyzeAsync(CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand("VACUUM (ANALYZE) tickets, ticket_events", conn) { CommandTimeout = 0 };
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private async Task WriteRowAsync(NpgsqlBinaryImporter writer, FakeTicket ticket, DateTime created, Random random, CancellationToken ct)
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
            // The summary columns of an unanswered ticket: its first response is the nearest deadline.
            var clock = new SlaClock(created, sla.FirstResponseTargetFor(ticket.Priority), sla.WarningFraction);
            await writer.WriteAsync(clock.DueAt, NpgsqlDbType.TimestampTz, ct);
            await writer.WriteAsync(clock.WarningAt, NpgsqlDbType.TimestampTz, ct);
            await writer.WriteAsync(status is TicketStatuses.Resolved or TicketStatuses.Closed ? SlaStates.Completed : SlaStates.Running, NpgsqlDbType.Text, ct);
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
