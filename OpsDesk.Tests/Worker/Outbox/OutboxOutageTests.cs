using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpsDesk.Db.Events;
using OpsDesk.Tests.Support;
using OpsDesk.Worker.Outbox;

namespace OpsDesk.Tests.Worker.Outbox;

public sealed class OutboxOutageTests
{
    private KafkaMockCluster kafka = null!;

    [OneTimeSetUp]
    public void StartKafka() => kafka = new KafkaMockCluster();

    [OneTimeTearDown]
    public void StopKafka() => kafka.Dispose();

    /// <summary>Bootstrap through a port that refuses connections until the test "brings Kafka back".</summary>
    private static KafkaOptions OutageOptions(TcpForwarder broker, string prefix)
    {
        var options = RelayRunner.TestOptions($"127.0.0.1:{broker.Port}", prefix);
        options.MessageTimeoutMs = 1500;
        options.Producer["reconnect.backoff.ms"] = "100";
        options.Producer["reconnect.backoff.max.ms"] = "500";
        return options;
    }

    [Test]
    public async Task Events_written_while_the_broker_is_unreachable_are_all_published_once_when_it_returns()
    {
        await using var db = await OutboxTestDb.CreateAsync();
        await using var broker = new TcpForwarder(kafka.Host, kafka.Port);
        var prefix = RelayRunner.NewPrefix();
        await using var relay = new RelayRunner(db, OutageOptions(broker, prefix));
        var tickets = new[] { await db.NewTicketAsync(), await db.NewTicketAsync() };
        await relay.StartAsync();

        for (var i = 0; i < 20; i++)
            await db.AppendAsync(tickets[i % 2], i % 3 == 0 ? EventTypes.SlaWarning : EventTypes.StatusChanged, $$"""{"n":{{i}}}""");
        await relay.WaitForAsync(s => s.Failures >= 3, "three failed publish attempts");
        Assert.That(await db.UnpublishedAsync(), Is.EqualTo(22), "nothing is marked published while the broker is down");

        broker.Start();
        await db.WaitAllPublishedAsync();
        await relay.WaitForAsync(s => s.FailingSince is null, "the relay to report recovery");

        var events = await db.EventsAsync();
        var messages = kafka.ReadAll(events.Select(e => prefix + e.Type).Distinct());
        Assert.That(messages.Select(m => m.EventId()), Is.EquivalentTo(events.Select(e => e.Id)), "0 lost, 0 published twice");
        Assert.That(events.All(e => e.PublishedAt is not null), Is.True);
        foreach (var ((topic, ticket), ids) in Messages.SequencesPerTopicAndTicket(messages))
            Assert.That(ids, Is.Ordered, $"{topic} / ticket {ticket}");
        Assert.That(relay.Logger.Count(4), Is.EqualTo(1), "the outage is logged once on the way down");
        Assert.That(relay.Logger.Count(6), Is.EqualTo(1), "and once on the way up");
        Assert.That(relay.Logger.Count(5), Is.Zero, "no repeats within the first minute");
    }

    [Test]
    public async Task Live_connections_cut_at_random_moments_lose_and_reorder_nothing()
    {
        // A cluster of this test's own: it advertises the forwarder, so the producer's every
        // connection (bootstrap, broker, reconnects) runs through it and a cut hits one in use.
        using var cluster = new KafkaMockCluster();
        await using var broker = new TcpForwarder(cluster.Host, cluster.Port);
        broker.Start();
        cluster.AdvertiseAt("127.0.0.1", broker.Port);
        await using var db = await OutboxTestDb.CreateAsync();
        var prefix = RelayRunner.NewPrefix();
        var options = RelayRunner.TestOptions($"127.0.0.1:{broker.Port}", prefix, batchSize: 200);
        var topic = prefix + "timeline";
        options.Topics[EventTypes.TicketCreated] = topic;
        options.Topics[EventTypes.StatusChanged] = topic;
        options.Producer["reconnect.backoff.ms"] = "50";
        options.Producer["reconnect.backoff.max.ms"] = "200";
        await using var relay = new RelayRunner(db, options);
        var tickets = new List<long>();
        for (var i = 0; i < 20; i++)
            tickets.Add(await db.NewTicketAsync());
        await relay.StartAsync();
        await db.WaitAllPublishedAsync();

        // Writers keep the relay busy while a cutter breaks its connections.
        using var writing = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
        {
            var n = 0;
            while (!writing.IsCancellationRequested)
            {
                await db.AppendAsync(tickets[(w + 2 * n) % tickets.Count], EventTypes.StatusChanged, $$"""{"w":{{w}},"n":{{n}}}""");
                n++;
            }
        })).ToList();

        var seed = Environment.TickCount;
        var random = new Random(seed);
        var cuts = new List<string>();
        const int Cuts = 8;
        while (cuts.Count < Cuts)
        {
            // A random moment, but one with traffic: once the relay is connected again and has
            // published a random number of events more.
            var published = relay.Status.Published;
            var gap = random.Next(20, 400);
            await relay.WaitForAsync(s => broker.LiveConnections > 0 && s.Published > published + gap, "publishing between cuts");
            if (random.Next(2) == 0)
            {
                cuts.Add($"reset {broker.CutAll()} live");
            }
            else
            {
                // Down for a while (reconnects refused): until the writers added a random number of
                // events, which stays well inside MessageTimeoutMs.
                var live = broker.Stop();
                var backlog = await db.UnpublishedAsync();
                var more = random.Next(10, 150);
                var clock = System.Diagnostics.Stopwatch.StartNew();
                while (await db.UnpublishedAsync() < backlog + more)
                    await Task.Delay(10);
                broker.Start();
                cuts.Add($"down {clock.ElapsedMilliseconds} ms, {live} live");
            }
        }

        await writing.CancelAsync();
        await Task.WhenAll(writers.Select(w => w.ContinueWith(_ => { }, TaskScheduler.Default)));
        await db.WaitAllPublishedAsync();

        var events = await db.EventsAsync();
        var audit = Messages.Audit(events, cluster.ReadAll([topic]));
        TestContext.Out.WriteLine($"seed {seed}; {events.Count} events; cuts: {string.Join("; ", cuts)}; {audit}; relay failures {relay.Status.Failures}; connections {broker.Accepted}");
        Assert.That(cuts.Count(c => !c.Contains(" 0 live", StringComparison.Ordinal)), Is.EqualTo(Cuts), "every cut broke a connection in use");
        Assert.That(broker.Accepted, Is.GreaterThan(Cuts), "the producer reconnected through the forwarder after the cuts");
        Assert.That(audit.Lost, Is.Empty, audit.ToString());
        Assert.That(audit.Reorders, Is.Empty, audit.ToString());
        // At least once: the relay has one batch in flight at a time, so a connection loss (the
        // producer's retry, which librdkafka's mock broker does not deduplicate as a real broker does)
        // or a failed round repeats at most that batch.
        Assert.That(audit.Duplicates, Is.LessThanOrEqualTo((Cuts + relay.Status.Failures) * options.BatchSize), audit.ToString());
    }

    [Test]
    public async Task Readiness_is_degraded_with_the_backlog_while_Kafka_is_unreachable_and_healthy_after()
    {
        await using var db = await OutboxTestDb.CreateAsync();
        await using var broker = new TcpForwarder(kafka.Host, kafka.Port);
        await using var relay = new RelayRunner(db, OutageOptions(broker, RelayRunner.NewPrefix()));
        await db.NewTicketAsync();
        await db.NewTicketAsync();
        await relay.StartAsync();

        await relay.WaitForAsync(s => s.Failures >= 1, "a failed publish attempt");
        var down = await relay.CheckHealthAsync();
        Assert.That(down.Status, Is.EqualTo(HealthStatus.Degraded));
        Assert.That(down.Description, Does.Contain("backlog 2 events"));
        Assert.That(down.Data["backlog"], Is.EqualTo(2L));

        broker.Start();
        await db.WaitAllPublishedAsync();
        await relay.WaitForAsync(s => s.FailingSince is null, "recovery");
        var up = await relay.CheckHealthAsync();
        Assert.That(up.Status, Is.EqualTo(HealthStatus.Healthy));
        Assert.That(up.Description, Does.Contain("backlog 0 events"));
    }

    [Test]
    public async Task Readiness_is_unhealthy_once_the_outage_outlasts_the_threshold()
    {
        await using var db = await OutboxTestDb.CreateAsync();
        await using var broker = new TcpForwarder(kafka.Host, kafka.Port);
        var options = OutageOptions(broker, RelayRunner.NewPrefix());
        options.UnhealthyAfter = TimeSpan.FromMilliseconds(1);
        await using var relay = new RelayRunner(db, options);
        await db.NewTicketAsync();
        await relay.StartAsync();

        await relay.WaitForAsync(s => s.Failures >= 1, "a failed publish attempt");
        var result = await relay.CheckHealthAsync();

        Assert.That(result.Status, Is.EqualTo(HealthStatus.Unhealthy));
        Assert.That(result.Description, Does.Contain("backlog 1 events"));
    }
}
