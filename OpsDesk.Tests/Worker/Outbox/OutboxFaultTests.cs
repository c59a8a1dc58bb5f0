using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using OpsDesk.Db.Events;
using OpsDesk.Tests.Support;
using OpsDesk.Worker.Outbox;

namespace OpsDesk.Tests.Worker.Outbox;

/// <summary>The relay under faults: a leader losing its lock mid-backlog, partly failed batches, poison events.</summary>
public sealed class OutboxFaultTests
{
    private KafkaMockCluster kafka = null!;

    [OneTimeSetUp]
    public void StartKafka() => kafka = new KafkaMockCluster();

    [OneTimeTearDown]
    public void StopKafka() => kafka.Dispose();

    /// <summary>Every type on one topic, so a consumer of it sees each ticket's whole timeline in order.</summary>
    private static KafkaOptions OneTopic(string bootstrapServers, string prefix, int batchSize = 500)
    {
        var options = RelayRunner.TestOptions(bootstrapServers, prefix, batchSize);
        options.Topics[EventTypes.TicketCreated] = prefix + "timeline";
        options.Topics[EventTypes.StatusChanged] = prefix + "timeline";
        return options;
    }

    private static async Task<List<long>> TicketsAsync(OutboxTestDb db, int count)
    {
        var tickets = new List<long>();
        for (var i = 0; i < count; i++)
            tickets.Add(await db.NewTicketAsync());
        return tickets;
    }

    [Test]
    public async Task A_leader_whose_lock_session_is_killed_mid_backlog_hands_over_without_any_event_published_by_both()
    {
        await using var db = await OutboxTestDb.CreateAsync();
        var tickets = await TicketsAsync(db, 20);
        await db.SeedAsync(tickets, 10_000, EventTypes.StatusChanged);
        var prefix = RelayRunner.NewPrefix();
        await using var a = new RelayRunner(db, OneTopic(kafka.BootstrapServers, prefix, batchSize: 200));
        await using var b = new RelayRunner(db, OneTopic(kafka.BootstrapServers, prefix, batchSize: 200));
        var producedBy = new Dictionary<RelayRunner, ConcurrentBag<long>> { [a] = [], [b] = [] };
        foreach (var (relay, produced) in producedBy)
        {
            relay.Relay.AfterDelivery = (batch, _) =>
            {
                foreach (var e in batch)
                    produced.Add(e.Id);
                return Task.CompletedTask;
            };
        }

        await a.StartAsync();
        await a.WaitForAsync(s => s.Role == RelayRole.Leader, "the first relay to lead");
        await b.StartAsync();
        await b.WaitForAsync(s => s.Role == RelayRole.Standby, "the second relay to stand by");
        await a.WaitForAsync(s => s.Published >= 2_000, "the leader to be well into the backlog");

        Assert.That(await db.KillLeaderSessionAsync(), Is.EqualTo(1), "the leader's lock session");
        await b.WaitForAsync(s => s.Role == RelayRole.Leader, "the standby to take over");
        await db.WaitAllPublishedAsync();
        await a.WaitForAsync(s => s.Role == RelayRole.Standby, "the old leader to stand by");

        var events = await db.EventsAsync();
        var audit = Messages.Audit(events, kafka.ReadAll([prefix + "timeline"]));
        var both = producedBy[a].Intersect(producedBy[b]).ToList();
        TestContext.Out.WriteLine($"{events.Count} events; produced by the first relay {producedBy[a].Count}, by the second {producedBy[b].Count}, by both {both.Count}; {audit}");
        Assert.That(both, Is.Empty, "events produced by both relays");
        Assert.That(audit.Duplicates, Is.Zero, audit.ToString());
        Assert.That(audit.Lost, Is.Empty, audit.ToString());
        Assert.That(audit.Reorders, Is.Empty, audit.ToString());
        Assert.That(a.Status.Published, Is.LessThan(events.Count), "the old leader stopped");
        Assert.That(b.Status.Published, Is.GreaterThan(0));
        Assert.That(a.Status.Published + b.Status.Published, Is.EqualTo(events.Count));
    }

    [Test]
    public async Task A_batch_the_producer_queue_cannot_hold_at_once_keeps_every_ticket_in_order()
    {
        await using var db = await OutboxTestDb.CreateAsync();
        var tickets = await TicketsAsync(db, 40);
        await db.SeedAsync(tickets, 20_000, EventTypes.StatusChanged);
        var prefix = RelayRunner.NewPrefix();
        var options = OneTopic(kafka.BootstrapServers, prefix);
        // librdkafka refuses a produce while 50 messages wait: most of each batch meets a full queue.
        options.Producer["queue.buffering.max.messages"] = "50";
        await using var relay = new RelayRunner(db, options);

        await relay.StartAsync();
        await db.WaitAllPublishedAsync(TimeSpan.FromMinutes(2));

        var events = await db.EventsAsync();
        var audit = Messages.Audit(events, kafka.ReadAll([prefix + "timeline"]));
        TestContext.Out.WriteLine($"{events.Count} events; {audit}; relay failures {relay.Status.Failures}");
        Assert.That(audit.Reorders, Is.Empty, audit.ToString());
        Assert.That(audit.Lost, Is.Empty, audit.ToString());
        Assert.That(audit.Duplicates, Is.Zero, audit.ToString());
        Assert.That(relay.Status.Failures, Is.Zero, "a full queue is back-pressure, not a failed round");
    }

    [Test]
    public async Task A_poison_event_is_parked_with_its_reason_its_ticket_waits_and_the_rest_of_the_stream_flows()
    {
        await using var db = await OutboxTestDb.CreateAsync();
        var tickets = await TicketsAsync(db, 10);
        await db.SeedAsync(tickets, 1_000, EventTypes.StatusChanged);
        var poisoned = tickets[3];
        var poison = await db.AppendAsync(poisoned, EventTypes.StatusChanged, Huge());
        await db.SeedAsync(tickets, 1_000, EventTypes.StatusChanged);
        var prefix = RelayRunner.NewPrefix();
        var options = OneTopic(kafka.BootstrapServers, prefix);
        // Production-like backoff: a relay that retried the poison event would crawl.
        options.RetryBackoff = TimeSpan.FromSeconds(1);
        options.MaxRetryBackoff = TimeSpan.FromSeconds(30);
        await using var relay = new RelayRunner(db, options);

        await relay.StartAsync();
        var behind = (await db.EventsAsync()).Count(e => e.TicketId == poisoned && e.Id > poison);
        await db.WaitUnpublishedAsync(1 + behind);

        var events = await db.EventsAsync();
        var unpublished = events.Where(e => e.PublishedAt is null).Select(e => e.Id).ToList();
        Assert.That(unpublished, Is.EqualTo(events.Where(e => e.TicketId == poisoned && e.Id >= poison).Select(e => e.Id)), "only the poison event and its ticket's later events wait");
        Assert.That(relay.Status.Failures, Is.Zero, "no round failed, so the relay never backed off");
        Assert.That(relay.Status.Parked, Is.EqualTo(1));
        var parked = await ParkedAsync(db);
        Assert.That(parked, Has.Count.EqualTo(1));
        Assert.That(parked[0], Is.EqualTo((poison, poisoned, "parked")));
        Assert.That(await ReasonAsync(db, poison), Does.StartWith("MsgSizeTooLarge"));

        var delivered = events.Where(e => e.PublishedAt is not null).ToList();
        var audit = Messages.Audit(delivered, kafka.ReadAll([prefix + "timeline"]));
        Assert.That(audit.Lost, Is.Empty, audit.ToString());
        Assert.That(audit.Reorders, Is.Empty, audit.ToString());

        var health = await relay.CheckHealthAsync();
        Assert.That(health.Status, Is.EqualTo(HealthStatus.Degraded));
        Assert.That(health.Description, Does.Contain("1 parked event(s)").And.Contain($"holding {behind} later event(s)").And.Contain("opsdesk events parked"));
        Assert.That(health.Data["parked"], Is.EqualTo(1L));
        Assert.That(health.Data["held_behind_parked"], Is.EqualTo((long)behind));
    }

    /// <summary>A 1.2 MB payload: over librdkafka's default message.max.bytes (1,000,000).</summary>
    internal static string Huge() => $$"""{"blob":"{{new string('x', 1_200_000)}}"}""";

    internal static async Task<List<(long EventId, long TicketId, string State)>> ParkedAsync(OutboxTestDb db)
    {
        await using var cmd = db.DataSource.CreateCommand("SELECT event_id, ticket_id, state FROM outbox_parked ORDER BY event_id");
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<(long, long, string)>();
        while (await reader.ReadAsync())
            rows.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2)));
        return rows;
    }

    private static async Task<string> ReasonAsync(OutboxTestDb db, long eventId)
    {
        await using var cmd = db.DataSource.CreateCommand("SELECT reason FROM outbox_parked WHERE event_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = eventId });
        return (string)(await cmd.ExecuteScalarAsync())!;
    }
}
