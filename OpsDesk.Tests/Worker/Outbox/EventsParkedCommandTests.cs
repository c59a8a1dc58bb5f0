using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpsDesk.Db.Events;
using OpsDesk.Tests.Support;
using OpsDesk.Tests.Worker.Commands;
using OpsDesk.Worker.Commands;
using OpsDesk.Worker.Outbox;

namespace OpsDesk.Tests.Worker.Outbox;

/// <summary><c>opsdesk events parked</c> against events a real relay parked.</summary>
public sealed class EventsParkedCommandTests
{
    private KafkaMockCluster kafka = null!;

    [OneTimeSetUp]
    public void StartKafka() => kafka = new KafkaMockCluster();

    [OneTimeTearDown]
    public void StopKafka() => kafka.Dispose();

    /// <summary>A ticket with events before and after a 1.2 MB one, another ticket beside it, and a relay that parked the big one.</summary>
    private sealed record Scene(OutboxTestDb Db, RelayRunner Relay, string Topic, long Ticket, long Poison, int Behind) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Relay.DisposeAsync();
            await Db.DisposeAsync();
        }
    }

    private async Task<Scene> ParkedSceneAsync()
    {
        var db = await OutboxTestDb.CreateAsync();
        var ticket = await db.NewTicketAsync();
        var other = await db.NewTicketAsync();
        await db.AppendAsync(ticket, EventTypes.StatusChanged, """{"to":"pending"}""");
        var poison = await db.AppendAsync(ticket, EventTypes.StatusChanged, OutboxFaultTests.Huge());
        for (var i = 0; i < 3; i++)
        {
            await db.AppendAsync(ticket, EventTypes.StatusChanged, $$"""{"n":{{i}}}""");
            await db.AppendAsync(other, EventTypes.StatusChanged, $$"""{"n":{{i}}}""");
        }

        var prefix = RelayRunner.NewPrefix();
        var relay = new RelayRunner(db, Options(prefix));
        await relay.StartAsync();
        await db.WaitUnpublishedAsync(4);
        return new Scene(db, relay, prefix + "timeline", ticket, poison, 3);
    }

    private KafkaOptions Options(string prefix)
    {
        var options = RelayRunner.TestOptions(kafka.BootstrapServers, prefix);
        options.Topics[EventTypes.TicketCreated] = prefix + "timeline";
        options.Topics[EventTypes.StatusChanged] = prefix + "timeline";
        return options;
    }

    [Test]
    public async Task Parked_lists_each_parked_event_with_its_reason_and_the_events_held_behind_it()
    {
        await using var scene = await ParkedSceneAsync();

        var json = await CliRun.RunAsync(null, scene.Db.ConnectionString, ["events", "parked", "--output", "json"]);
        var table = await CliRun.RunAsync(null, scene.Db.ConnectionString, ["events", "parked"]);

        Assert.That(json.ExitCode, Is.EqualTo(Cli.Ok), json.ToString());
        Assert.That((int)json.Json["count"]!, Is.EqualTo(1));
        var item = json.Json["items"]![0]!;
        Assert.That((long)item["eventId"]!, Is.EqualTo(scene.Poison));
        Assert.That((long)item["ticketId"]!, Is.EqualTo(scene.Ticket));
        Assert.That((string)item["state"]!, Is.EqualTo("parked"));
        Assert.That((string)item["reason"]!, Does.StartWith("MsgSizeTooLarge"));
        Assert.That((long)item["held"]!, Is.EqualTo(scene.Behind));
        Assert.That(table.ExitCode, Is.EqualTo(Cli.Ok), table.ToString());
        Assert.That(table.Out, Does.Contain(scene.Poison.ToString(CultureInfo.InvariantCulture)).And.Contain("MsgSizeTooLarge").And.Contain("Held behind"));
        Assert.That(table.Out, Does.Contain($"1 parked event(s), holding {scene.Behind} later event(s)"));
    }

    [Test]
    public async Task A_parked_event_replayed_after_the_fix_goes_out_before_the_later_events_of_its_ticket()
    {
        await using var scene = await ParkedSceneAsync();
        // The fix: the relay may now send messages that large.
        await scene.Relay.StopAsync();
        var options = Options(scene.Topic[..^"timeline".Length]);
        options.Producer["message.max.bytes"] = "2000000";
        await using var fixedRelay = new RelayRunner(scene.Db, options);
        await fixedRelay.StartAsync();
        await fixedRelay.WaitForAsync(s => s.Role == RelayRole.Leader, "the fixed relay to lead");
        Assert.That(await scene.Db.UnpublishedAsync(), Is.EqualTo(1 + scene.Behind), "still parked until an operator replays it");

        var replay = await CliRun.RunAsync(null, scene.Db.ConnectionString, ["events", "parked", "--replay", scene.Poison.ToString(CultureInfo.InvariantCulture)]);
        await scene.Db.WaitAllPublishedAsync();
        var again = await CliRun.RunAsync(null, scene.Db.ConnectionString, ["events", "parked", "--replay", scene.Poison.ToString(CultureInfo.InvariantCulture), "-o", "json"]);

        Assert.That(replay.ExitCode, Is.EqualTo(Cli.Ok), replay.ToString());
        Assert.That(replay.Out, Does.Contain($"event {scene.Poison}: replayed"));
        Assert.That(again.ExitCode, Is.EqualTo(Cli.Ok), again.ToString());
        Assert.That((string)again.Json["items"]![0]!["outcome"]!, Is.EqualTo("already_replayed"));
        var events = await scene.Db.EventsAsync();
        var audit = Messages.Audit(events, kafka.ReadAll([scene.Topic]));
        Assert.That(audit.Lost, Is.Empty, audit.ToString());
        Assert.That(audit.Reorders, Is.Empty, audit.ToString());
        Assert.That(await OutboxFaultTests.ParkedAsync(scene.Db), Is.EqualTo(new[] { (scene.Poison, scene.Ticket, "replayed") }));
    }

    [Test]
    public async Task A_skipped_event_is_never_sent_and_its_ticket_s_later_events_flow()
    {
        await using var scene = await ParkedSceneAsync();

        var skip = await CliRun.RunAsync(null, scene.Db.ConnectionString, ["events", "parked", "--skip", scene.Poison.ToString(CultureInfo.InvariantCulture), "--output", "json"]);
        await scene.Db.WaitUnpublishedAsync(1);

        Assert.That(skip.ExitCode, Is.EqualTo(Cli.Ok), skip.ToString());
        Assert.That((string)skip.Json["items"]![0]!["outcome"]!, Is.EqualTo("skipped"));
        var events = await scene.Db.EventsAsync();
        var sent = events.Where(e => e.Id != scene.Poison).ToList();
        var messages = kafka.ReadAll([scene.Topic]);
        Assert.That(messages.Select(m => m.EventId()), Does.Not.Contain(scene.Poison));
        var audit = Messages.Audit(sent, messages);
        Assert.That(audit.Lost, Is.Empty, audit.ToString());
        Assert.That(audit.Reorders, Is.Empty, audit.ToString());
        var health = await scene.Relay.CheckHealthAsync();
        Assert.That(health.Status, Is.EqualTo(HealthStatus.Healthy), health.Description);
        Assert.That(health.Description, Does.Contain("backlog 0 events"), "a skipped event is not backlog");
    }

    [Test]
    public async Task Replaying_an_id_that_was_never_parked_exits_1_and_names_it()
    {
        await using var db = await OutboxTestDb.CreateAsync();

        var result = await CliRun.RunAsync(null, db.ConnectionString, ["events", "parked", "--replay", "424242"]);

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Failed), result.ToString());
        Assert.That(result.Err, Does.Contain("never parked: 424242"));
    }

    [Test]
    public async Task Listing_with_nothing_parked_says_so_and_exits_0()
    {
        await using var db = await OutboxTestDb.CreateAsync();

        var result = await CliRun.RunAsync(null, db.ConnectionString, ["events", "parked"]);

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Ok), result.ToString());
        Assert.That(result.Out, Does.Contain("No parked events"));
    }

    [TestCase("--replay", "abc")]
    [TestCase("--replay", "1", "--skip", "2")]
    [TestCase("--output", "yaml")]
    public async Task Parked_with_bad_options_exits_2(params string[] args)
    {
        var result = await CliRun.RunAsync(null, null, ["events", "parked", .. args]);

        Assert.That(result.ExitCode, Is.EqualTo(Cli.BadUsage), result.ToString());
        Assert.That(result.Err, Does.StartWith("error: "));
        Assert.That(result.Out, Is.Empty);
    }

    [Test]
    public async Task Parked_without_a_database_exits_2_and_says_how_to_configure_one()
    {
        var result = await CliRun.RunAsync(null, "", ["events", "parked"]);

        Assert.That(result.ExitCode, Is.EqualTo(Cli.BadUsage), result.ToString());
        Assert.That(result.Err, Does.Contain("ConnectionStrings__OpsDesk").And.Contain("--connection-string"));
    }

    [Test]
    public async Task Parked_help_describes_listing_replay_and_skip()
    {
        var result = await CliRun.RunAsync(null, null, ["events", "parked", "--help"]);

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Ok), result.ToString());
        Assert.That(result.Out, Does.Contain("--replay").And.Contain("--skip").And.Contain("--output"));
    }
}
