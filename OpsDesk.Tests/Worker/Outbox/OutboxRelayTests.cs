using System.Globalization;
using System.Text.Json.Nodes;
using Npgsql;
using OpsDesk.Db.Events;
using OpsDesk.Db.Outbox;
using OpsDesk.Tests.Support;
using OpsDesk.Worker.Outbox;

namespace OpsDesk.Tests.Worker.Outbox;

public sealed class OutboxRelayTests
{
    private static readonly string[] Types = [EventTypes.TicketClassified, EventTypes.StatusChanged, EventTypes.SlaWarning, EventTypes.PriorityChanged];

    private KafkaMockCluster kafka = null!;

    [OneTimeSetUp]
    public void StartKafka() => kafka = new KafkaMockCluster();

    [OneTimeTearDown]
    public void StopKafka() => kafka.Dispose();

    [Test]
    public async Task Every_event_reaches_its_topic_as_a_valid_cloud_event()
    {
        await using var db = await OutboxTestDb.CreateAsync();
        var first = await db.NewTicketAsync();
        var second = await db.NewTicketAsync();
        await db.AppendAsync(first, EventTypes.SlaWarning, """{"dueAt":"2030-01-01T00:00:00Z","n":1,"tags":["a","é"]}""");
        await db.AppendAsync(second, EventTypes.TicketClassified, """{"category":"billing","priority":"P2"}""");
        var prefix = RelayRunner.NewPrefix();
        await using var relay = new RelayRunner(db, RelayRunner.TestOptions(kafka.BootstrapServers, prefix));

        await relay.StartAsync();
        await db.WaitAllPublishedAsync();

        var events = await db.EventsAsync();
        var topics = events.Select(e => prefix + e.Type).Distinct().ToList();
        var messages = kafka.ReadAll(topics);
        Assert.That(messages, Has.Count.EqualTo(events.Count));
        Assert.That(relay.Provisioner.Requested, Is.EquivalentTo(topics), "each topic is provisioned once, before its first publish");
        foreach (var e in events)
        {
            var m = messages.Single(x => x.EventId() == e.Id);
            var id = e.Id.ToString(CultureInfo.InvariantCulture);
            var ticket = e.TicketId.ToString(CultureInfo.InvariantCulture);
            var source = "/opsdesk/tickets/" + ticket;
            var body = m.Body();
            Assert.Multiple(() =>
            {
                Assert.That(m.Topic, Is.EqualTo(prefix + e.Type));
                Assert.That(m.Message.Key, Is.EqualTo(ticket));
                Assert.That(body.Select(p => p.Key), Is.EquivalentTo(new[] { "specversion", "id", "source", "type", "subject", "time", "datacontenttype", "data" }));
                Assert.That((string?)body["specversion"], Is.EqualTo("1.0"));
                Assert.That((string?)body["id"], Is.EqualTo(id));
                Assert.That((string?)body["source"], Is.EqualTo(source));
                Assert.That((string?)body["type"], Is.EqualTo(e.Type));
                Assert.That((string?)body["subject"], Is.EqualTo(ticket));
                Assert.That((string?)body["datacontenttype"], Is.EqualTo("application/json"));
                var time = DateTimeOffset.ParseExact((string)body["time"]!, "yyyy-MM-dd'T'HH:mm:ss.FFFFFFK", CultureInfo.InvariantCulture);
                Assert.That(time.UtcDateTime, Is.EqualTo(e.OccurredAt.ToUniversalTime()));
                Assert.That(JsonNode.DeepEquals(body["data"], JsonNode.Parse(e.Payload)), Is.True, $"data of event {e.Id}");
                Assert.That(m.Header("ce_specversion"), Is.EqualTo("1.0"));
                Assert.That(m.Header("ce_id"), Is.EqualTo(id));
                Assert.That(m.Header("ce_source"), Is.EqualTo(source));
                Assert.That(m.Header("ce_type"), Is.EqualTo(e.Type));
                Assert.That(m.Header("ce_subject"), Is.EqualTo(ticket));
                Assert.That(m.Header("ce_time"), Is.EqualTo((string?)body["time"]));
                Assert.That(m.Header("content-type"), Is.EqualTo("application/cloudevents+json; charset=UTF-8"));
            });
        }

        Assert.That((await db.EventsAsync()).All(e => e.PublishedAt is not null), Is.True);
    }

    [Test]
    public async Task Each_ticket_s_events_arrive_in_id_order_across_1000_events_for_50_tickets_written_concurrently()
    {
        await using var db = await OutboxTestDb.CreateAsync();
        var prefix = RelayRunner.NewPrefix();
        var options = RelayRunner.TestOptions(kafka.BootstrapServers, prefix);
        // One topic for every type, so one consumer sees each ticket's whole timeline in order.
        var topic = prefix + "timeline";
        foreach (var type in Types.Append(EventTypes.TicketCreated))
            options.Topics[type] = topic;
        options.BatchSize = 100;
        await using var relay = new RelayRunner(db, options);
        await relay.StartAsync();

        var tickets = new List<long>();
        for (var i = 0; i < 50; i++)
            tickets.Add(await db.NewTicketAsync());
        // Four writers touch every ticket at once, so ids are drawn in one order and committed in another.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = w; i < 950; i += 4)
                await db.AppendAsync(tickets[i % 50], Types[i % Types.Length], $$"""{"n":{{i}}}""");
        })));
        await db.WaitAllPublishedAsync();

        var events = await db.EventsAsync();
        var messages = kafka.ReadAll([topic]);
        Assert.That(events, Has.Count.EqualTo(1000));
        Assert.That(messages, Has.Count.EqualTo(1000));
        var sequences = Messages.SequencesPerTopicAndTicket(messages);
        Assert.That(sequences, Has.Count.EqualTo(50));
        foreach (var ticket in tickets)
        {
            var expected = events.Where(e => e.TicketId == ticket).Select(e => e.Id).ToList();
            Assert.That(sequences[(topic, ticket.ToString(CultureInfo.InvariantCulture))], Is.EqualTo(expected), $"ticket {ticket}");
        }
    }

    [Test]
    public async Task An_event_committed_before_an_earlier_numbered_one_waits_for_it()
    {
        await using var db = await OutboxTestDb.CreateAsync();
        var ticket = await db.NewTicketAsync();
        var prefix = RelayRunner.NewPrefix();
        var options = RelayRunner.TestOptions(kafka.BootstrapServers, prefix);
        await using var relay = new RelayRunner(db, options);
        await relay.StartAsync();
        await db.WaitAllPublishedAsync();

        // The earlier id is drawn inside a transaction that stays open...
        await using var slow = await db.DataSource.OpenConnectionAsync();
        await using var tx = await slow.BeginTransactionAsync();
        var earlier = await Timeline.InsertRawAsync(slow, tx, ticket, EventTypes.StatusChanged, """{"to":"pending"}""");
        // ...while a later one commits.
        var later = await db.AppendAsync(ticket, EventTypes.StatusChanged, """{"to":"resolved"}""");
        Assert.That(later, Is.GreaterThan(earlier));
        var cycles = relay.Status.Cycles;
        await relay.WaitForAsync(s => s.Cycles >= cycles + 5, "five relay cycles after the later commit");
        Assert.That((await db.EventsAsync()).Single(e => e.Id == later).PublishedAt, Is.Null, "the later event must wait for the open earlier one");

        await tx.CommitAsync();
        await db.WaitAllPublishedAsync();

        var messages = kafka.ReadAll([prefix + EventTypes.StatusChanged]);
        Assert.That(messages.Select(m => m.EventId()), Is.EqualTo(new[] { earlier, later }));
    }

    [Test]
    public async Task Two_relays_running_at_once_publish_each_event_once_and_in_order()
    {
        await using var db = await OutboxTestDb.CreateAsync();
        var prefix = RelayRunner.NewPrefix();
        await using var a = new RelayRunner(db, RelayRunner.TestOptions(kafka.BootstrapServers, prefix, batchSize: 50));
        await using var b = new RelayRunner(db, RelayRunner.TestOptions(kafka.BootstrapServers, prefix, batchSize: 50));
        await a.StartAsync();
        await b.StartAsync();
        await a.WaitForAsync(_ => new[] { a.Status.Role, b.Status.Role }.Order().SequenceEqual(new[] { RelayRole.Standby, RelayRole.Leader }), "one leader and one standby");

        var tickets = new List<long>();
        for (var i = 0; i < 10; i++)
            tickets.Add(await db.NewTicketAsync());
        await WriteAsync(db, tickets, 0, 150);
        await db.WaitAllPublishedAsync();

        // The leader goes away; the standby takes over for the second half.
        var (leader, standby) = a.Status.Role == RelayRole.Leader ? (a, b) : (b, a);
        await leader.StopAsync();
        await WriteAsync(db, tickets, 150, 300);
        await standby.WaitForAsync(s => s.Role == RelayRole.Leader, "the standby to take the lock");
        await db.WaitAllPublishedAsync();

        var events = await db.EventsAsync();
        var messages = kafka.ReadAll(events.Select(e => prefix + e.Type).Distinct());
        Assert.That(events, Has.Count.EqualTo(310));
        Assert.That(messages.Select(m => m.EventId()), Is.EquivalentTo(events.Select(e => e.Id)), "every event exactly once");
        Assert.That(leader.Status.Published, Is.GreaterThan(0));
        Assert.That(standby.Status.Published, Is.GreaterThan(0));
        Assert.That(leader.Status.Published + standby.Status.Published, Is.EqualTo(310));
        foreach (var ((topic, ticket), ids) in Messages.SequencesPerTopicAndTicket(messages))
            Assert.That(ids, Is.Ordered, $"{topic} / ticket {ticket}");
    }

    [Test]
    public async Task A_relay_stopped_between_produce_and_marking_resends_at_most_that_batch_and_consumers_can_drop_the_repeats_by_id()
    {
        await using var db = await OutboxTestDb.CreateAsync();
        var tickets = new List<long>();
        for (var i = 0; i < 5; i++)
            tickets.Add(await db.NewTicketAsync());
        await WriteAsync(db, tickets, 0, 20);
        var prefix = RelayRunner.NewPrefix();
        const int batchSize = 10;

        await using var crashing = new RelayRunner(db, RelayRunner.TestOptions(kafka.BootstrapServers, prefix, batchSize: batchSize));
        var inFlight = new TaskCompletionSource<IReadOnlyList<OutboxEvent>>(TaskCreationOptions.RunContinuationsAsynchronously);
        crashing.Relay.AfterDelivery = async (batch, ct) =>
        {
            inFlight.TrySetResult(batch);
            await Task.Delay(Timeout.Infinite, ct); // the process "dies" here: acknowledged, not yet marked
        };
        await crashing.StartAsync();
        var lost = await inFlight.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await crashing.StopAsync();
        Assert.That(await db.UnpublishedAsync(), Is.EqualTo(25), "nothing was marked published by the crashed relay");

        await using var restarted = new RelayRunner(db, RelayRunner.TestOptions(kafka.BootstrapServers, prefix, batchSize: batchSize));
        await restarted.StartAsync();
        await db.WaitAllPublishedAsync();

        var events = await db.EventsAsync();
        var messages = kafka.ReadAll(events.Select(e => prefix + e.Type).Distinct());
        var duplicates = messages.Count - events.Count;
        Assert.That(duplicates, Is.GreaterThan(0).And.LessThanOrEqualTo(batchSize));
        Assert.That(messages.GroupBy(m => m.EventId()).Where(g => g.Count() > 1).Select(g => g.Key), Is.SubsetOf(lost.Select(e => e.Id)));
        Assert.That(messages.Select(m => m.EventId()).Distinct(), Is.EquivalentTo(events.Select(e => e.Id)), "dropping repeats by CloudEvent id leaves exactly the events");
    }

    private static async Task WriteAsync(OutboxTestDb db, List<long> tickets, int from, int to)
    {
        for (var i = from; i < to; i++)
            await db.AppendAsync(tickets[i % tickets.Count], Types[i % Types.Length], $$"""{"n":{{i}}}""");
    }
}
