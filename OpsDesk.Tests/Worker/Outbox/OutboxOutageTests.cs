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
