using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using OpsDesk.Db.Events;
using OpsDesk.Db.Outbox;
using OpsDesk.Tests.Support;
using OpsDesk.Worker.Commands;
using OpsDesk.Worker.Outbox;

namespace OpsDesk.Tests.Worker.Outbox;

public sealed class EventsTailCommandTests
{
    private KafkaMockCluster kafka = null!;

    [OneTimeSetUp]
    public void StartKafka() => kafka = new KafkaMockCluster();

    [OneTimeTearDown]
    public void StopKafka() => kafka.Dispose();

    [Test]
    public async Task Tail_without_bootstrap_servers_exits_2_and_says_how_to_configure_it()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("Kafka__BootstrapServers")))
            Assert.Ignore("Kafka__BootstrapServers is set in this environment");
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await Cli.RunAsync(["events", "tail"], stdout, stderr);

        Assert.That(exit, Is.EqualTo(Cli.BadUsage));
        Assert.That(stderr.ToString(), Does.Contain("--bootstrap-servers").And.Contain("Kafka__BootstrapServers"));
        Assert.That(stdout.ToString(), Is.Empty);
    }

    [TestCase("--type", "Not A Type")]
    [TestCase("--max-messages", "0")]
    public async Task Tail_with_a_bad_option_value_exits_2(string option, string value)
    {
        var stderr = new StringWriter();

        var exit = await Cli.RunAsync(["events", "tail", "--bootstrap-servers", kafka.BootstrapServers, option, value], new StringWriter(), stderr);

        Assert.That(exit, Is.EqualTo(Cli.BadUsage));
        Assert.That(stderr.ToString(), Does.Contain(option));
    }

    [Test]
    public async Task Tail_prints_each_event_as_one_cloud_event_json_line()
    {
        var prefix = RelayRunner.NewPrefix();
        var sent = await ProduceAsync(prefix,
            new OutboxEvent(901, 7, EventTypes.TicketCreated, """{"subject":"multi\nline"}""", DateTime.UtcNow),
            new OutboxEvent(902, 7, EventTypes.SlaWarning, """{"n":2}""", DateTime.UtcNow),
            new OutboxEvent(903, 8, EventTypes.TicketCreated, """{"n":3}""", DateTime.UtcNow));
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        // No --type: every known type's topic.
        var exit = await Cli.RunAsync(["events", "tail", "--bootstrap-servers", kafka.BootstrapServers, "--topic-prefix", prefix, "--from-beginning", "--max-messages", "3"], stdout, stderr);

        Assert.That(exit, Is.EqualTo(Cli.Ok), stderr.ToString());
        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(3));
        var events = lines.Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.That(events.Select(e => (string?)e["id"]), Is.EquivalentTo(sent.Select(e => e.Id.ToString(CultureInfo.InvariantCulture))));
        Assert.That(events.All(e => (string?)e["specversion"] == "1.0"), Is.True);
        Assert.That((string?)events.Single(e => (string?)e["id"] == "901")["data"]!["subject"], Is.EqualTo("multi\nline"));
    }

    [Test]
    public async Task Tail_with_a_type_shows_only_that_type_even_when_types_share_a_topic()
    {
        var shared = RelayRunner.NewPrefix() + "all";
        await ProduceAsync(_ => shared,
            new OutboxEvent(911, 7, EventTypes.TicketCreated, "{}", DateTime.UtcNow),
            new OutboxEvent(912, 7, EventTypes.SlaWarning, "{}", DateTime.UtcNow),
            new OutboxEvent(913, 7, EventTypes.TicketCreated, "{}", DateTime.UtcNow),
            new OutboxEvent(914, 7, EventTypes.SlaBreached, "{}", DateTime.UtcNow));
        var stdout = new StringWriter();
        // Kafka:Topics:<type> from the environment, as an operator would configure a shared topic.
        // Only this fixture's tail runs read it, and they run one at a time.
        Environment.SetEnvironmentVariable("Kafka__Topics__sla.warning", shared);
        Environment.SetEnvironmentVariable("Kafka__Topics__sla.breached", shared);
        int exit;
        try
        {
            exit = await Cli.RunAsync(["events", "tail", "--bootstrap-servers", kafka.BootstrapServers, "--from-beginning", "--type", "sla.warning", "--type", "sla.breached", "--max-messages", "2"],
                stdout, new StringWriter());
        }
        finally
        {
            Environment.SetEnvironmentVariable("Kafka__Topics__sla.warning", null);
            Environment.SetEnvironmentVariable("Kafka__Topics__sla.breached", null);
        }

        Assert.That(exit, Is.EqualTo(Cli.Ok));
        var ids = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (string?)JsonNode.Parse(l)!["id"]);
        Assert.That(ids, Is.EqualTo(new[] { "912", "914" }), "ticket.created on the shared topic is skipped");
    }

    [Test]
    public async Task Tail_stops_cleanly_with_exit_0_when_cancelled()
    {
        var prefix = RelayRunner.NewPrefix();
        await ProduceAsync(prefix, new OutboxEvent(921, 7, EventTypes.TicketCreated, "{}", DateTime.UtcNow));
        var stdout = new LineSignallingWriter();
        using var ctrlC = new CancellationTokenSource();

        var run = Invoke(["events", "tail", "--bootstrap-servers", kafka.BootstrapServers, "--topic-prefix", prefix, "--from-beginning", "--type", "ticket.created"],
            stdout, new StringWriter(), ctrlC.Token);
        await stdout.FirstLine.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await ctrlC.CancelAsync();
        var exit = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(exit, Is.EqualTo(Cli.Ok));
        Assert.That((string?)JsonNode.Parse(stdout.ToString())!["id"], Is.EqualTo("921"));
    }

    /// <summary>Invokes the CLI in-process with a cancellation token, as Ctrl+C would cancel it.</summary>
    private static Task<int> Invoke(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var parse = Cli.Build().Parse(args);
        Assert.That(parse.Errors, Is.Empty);
        return parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, ct);
    }

    private Task<IReadOnlyList<OutboxEvent>> ProduceAsync(string prefix, params OutboxEvent[] events) =>
        ProduceAsync(e => prefix + e.Type, events);

    private async Task<IReadOnlyList<OutboxEvent>> ProduceAsync(Func<OutboxEvent, string> topicFor, params OutboxEvent[] events)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers, EnableIdempotence = true })
            .SetLogHandler((_, _) => { }).Build();
        foreach (var e in events)
            await producer.ProduceAsync(topicFor(e), CloudEventMessage.Create(e));
        return events;
    }

    /// <summary>Completes <see cref="FirstLine"/> when the first line is written.</summary>
    private sealed class LineSignallingWriter : StringWriter
    {
        public TaskCompletionSource FirstLine { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            FirstLine.TrySetResult();
        }
    }
}
