using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using OpsDesk.Db.Outbox;
using OpsDesk.Tests.Support;
using OpsDesk.Worker.Outbox;

namespace OpsDesk.Tests.Worker.Outbox;

/// <summary>Measurements for the README, printed, never asserted against a target. Run on demand.</summary>
[Category("Benchmark")]
[Explicit("Prints measurements; run with --filter Category=Benchmark")]
public sealed class OutboxBenchmarks
{
    private const int Backlog = 20_000;
    private const int Tickets = 100;

    [Test]
    public async Task Relay_throughput_beside_a_bare_producer_loop()
    {
        using var kafka = new KafkaMockCluster();
        await using var db = await OutboxTestDb.CreateAsync();
        await SeedBacklogAsync(db);
        var prefix = RelayRunner.NewPrefix();
        var events = await ReadEventsAsync(db);

        // Bare Confluent producer: the same messages, the same producer settings, no database.
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 5,
        }).SetLogHandler((_, _) => { }).Build())
        {
            // Warm-up: metadata and producer id, as the relay gets on its first batch.
            await producer.ProduceAsync("warmup" + prefix, CloudEventMessage.Create(events[0]));
            var bare = Stopwatch.StartNew();
            var reports = new Task[events.Count];
            for (var i = 0; i < events.Count; i++)
            {
                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                reports[i] = done.Task;
                producer.Produce("bare" + prefix + events[i].Type, CloudEventMessage.Create(events[i]), r =>
                {
                    if (r.Error.IsError)
                        done.TrySetException(new KafkaException(r.Error));
                    else
                        done.TrySetResult();
                });
            }

            await Task.WhenAll(reports);
            bare.Stop();
            Print($"bare producer: {events.Count} events in {bare.Elapsed.TotalSeconds:F2} s = {events.Count / bare.Elapsed.TotalSeconds:F0} events/s");
        }

        foreach (var batchSize in new[] { 500, 2000 })
        {
            await using var fresh = await OutboxTestDb.CreateAsync();
            await SeedBacklogAsync(fresh);
            await using var relay = new RelayRunner(fresh, RelayRunner.TestOptions(kafka.BootstrapServers, RelayRunner.NewPrefix(), batchSize));
            var clock = Stopwatch.StartNew();
            await relay.StartAsync();
            await fresh.WaitAllPublishedAsync(TimeSpan.FromMinutes(5));
            clock.Stop();
            Print($"relay (BatchSize {batchSize}): {Backlog + Tickets} events drained in {clock.Elapsed.TotalSeconds:F2} s = {(Backlog + Tickets) / clock.Elapsed.TotalSeconds:F0} events/s (includes leader election and producer start)");
        }
    }

    [Test]
    public async Task Latency_from_commit_to_broker_acknowledgement()
    {
        using var kafka = new KafkaMockCluster();
        await using var db = await OutboxTestDb.CreateAsync();
        var tickets = new List<long>();
        for (var i = 0; i < 20; i++)
            tickets.Add(await db.NewTicketAsync());
        await using var relay = new RelayRunner(db, RelayRunner.TestOptions(kafka.BootstrapServers, RelayRunner.NewPrefix()));
        var acked = new ConcurrentDictionary<long, long>();
        relay.Relay.AfterDelivery = (batch, _) =>
        {
            var now = Stopwatch.GetTimestamp();
            foreach (var e in batch)
                acked.TryAdd(e.Id, now);
            return Task.CompletedTask;
        };
        await relay.StartAsync();
        await db.WaitAllPublishedAsync();

        foreach (var (label, count, pause) in new[] { ("one at a time, 5 ms apart", 1000, 5), ("back to back", 2000, 0) })
        {
            acked.Clear();
            var committed = new Dictionary<long, long>();
            for (var i = 0; i < count; i++)
            {
                var id = await db.AppendAsync(tickets[i % tickets.Count], "ticket.status_changed", $$"""{"n":{{i}}}""");
                committed[id] = Stopwatch.GetTimestamp();
                if (pause > 0)
                    await Task.Delay(pause);
            }

            await db.WaitAllPublishedAsync();
            var latencies = committed.Select(c => Stopwatch.GetElapsedTime(c.Value, acked[c.Key]).TotalMilliseconds).Order().ToList();
            Print($"latency commit→ack ({label}, {count} events): p50 {Percentile(latencies, 0.50):F1} ms, p99 {Percentile(latencies, 0.99):F1} ms, max {latencies[^1]:F1} ms");
        }
    }

    [Test]
    public async Task Relay_throughput_with_a_parked_poison_event_beside_none()
    {
        using var kafka = new KafkaMockCluster();
        foreach (var poisoned in new[] { false, true })
        {
            await using var db = await OutboxTestDb.CreateAsync();
            var held = 0L;
            if (poisoned)
            {
                // A 1.2 MB event (over message.max.bytes) at the head of the backlog, on the ticket
                // the backlog starts with: that ticket's later events wait behind it.
                var ticket = await db.NewTicketAsync();
                var poison = await db.AppendAsync(ticket, "ticket.status_changed", OutboxFaultTests.Huge());
                await SeedBacklogAsync(db);
                await using var behind = db.DataSource.CreateCommand($"SELECT count(*) FROM ticket_events WHERE ticket_id = {ticket} AND id > {poison}");
                held = (long)(await behind.ExecuteScalarAsync())!;
            }
            else
            {
                await SeedBacklogAsync(db);
            }

            var total = await db.UnpublishedAsync();
            var options = RelayRunner.TestOptions(kafka.BootstrapServers, RelayRunner.NewPrefix());
            options.RetryBackoff = TimeSpan.FromSeconds(1);
            options.MaxRetryBackoff = TimeSpan.FromSeconds(30);
            await using var relay = new RelayRunner(db, options);
            var clock = Stopwatch.StartNew();
            await relay.StartAsync();
            await db.WaitUnpublishedAsync(poisoned ? 1 + held : 0, TimeSpan.FromMinutes(5));
            clock.Stop();
            var sent = total - (poisoned ? 1 + held : 0);
            Print($"relay, {(poisoned ? "one poison event parked" : "no poison event")}: {sent} events in {clock.Elapsed.TotalSeconds:F2} s = {sent / clock.Elapsed.TotalSeconds:F0} events/s ({held} held behind the parked event; failed rounds {relay.Status.Failures}, parked {relay.Status.Parked})");
        }
    }

    private static async Task SeedBacklogAsync(OutboxTestDb db)
    {
        for (var i = 0; i < Tickets; i++)
            await db.NewTicketAsync();
        await using var cmd = db.DataSource.CreateCommand($"""
            INSERT INTO ticket_events (ticket_id, type, payload)
            SELECT (SELECT min(id) FROM tickets) + g % {Tickets},
                   (ARRAY['ticket.status_changed','sla.warning','ticket.classified'])[1 + g % 3],
                   jsonb_build_object('n', g, 'note', 'benchmark payload of a realistic size')
            FROM generate_series(1, {Backlog}) g
            """);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<List<OutboxEvent>> ReadEventsAsync(OutboxTestDb db) =>
        (await db.EventsAsync()).Select(e => new OutboxEvent(e.Id, e.TicketId, e.Type, e.Payload, e.OccurredAt)).ToList();

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static void Print(string line)
    {
        TestContext.Out.WriteLine(line);
        Console.WriteLine(line);
        File.AppendAllText(Path.Combine(Path.GetTempPath(), "opsdesk-outbox-benchmark.txt"), line.ToString(CultureInfo.InvariantCulture) + Environment.NewLine);
    }
}
