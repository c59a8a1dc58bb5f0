using OpsDesk.Bench.Http;
using OpsDesk.Bench.Measuring;
using OpsDesk.Worker.Commands;

namespace OpsDesk.Tests.Bench;

public sealed class LoadArgumentTests
{
    [TestCase("create")]
    [TestCase("read")]
    public async Task Neither_rate_nor_concurrency_is_bad_usage_with_a_message(string sub)
    {
        var run = await LoadCli.RunAsync(sub, "--url", "http://127.0.0.1:9", "--duration", "1s");

        Assert.That(run.ExitCode, Is.EqualTo(Cli.BadUsage));
        Assert.That(run.Stderr, Does.Contain("exactly one of --rate").And.Contain("--concurrency"));
    }

    [TestCase("create")]
    [TestCase("read")]
    public async Task Both_rate_and_concurrency_is_bad_usage_with_a_message(string sub)
    {
        var run = await LoadCli.RunAsync(sub, "--url", "http://127.0.0.1:9", "--rate", "10", "--concurrency", "2", "--duration", "1s");

        Assert.That(run.ExitCode, Is.EqualTo(Cli.BadUsage));
        Assert.That(run.Stderr, Does.Contain("exactly one of --rate"));
    }

    [TestCase(new[] { "--url", "ftp://example", "--concurrency", "1", "--duration", "1s" }, "--url must be an absolute http")]
    [TestCase(new[] { "--concurrency", "1", "--duration", "1s" }, "--url")]
    [TestCase(new[] { "--url", "http://127.0.0.1:9", "--concurrency", "1" }, "--duration")]
    [TestCase(new[] { "--url", "http://127.0.0.1:9", "--concurrency", "1", "--duration", "soon" }, "--duration must be a duration")]
    [TestCase(new[] { "--url", "http://127.0.0.1:9", "--concurrency", "0", "--duration", "1s" }, "--concurrency must be")]
    [TestCase(new[] { "--url", "http://127.0.0.1:9", "--rate", "-5", "--duration", "1s" }, "--rate must be")]
    [TestCase(new[] { "--url", "http://127.0.0.1:9", "--rate", "5", "--duration", "1s", "--output", "xml" }, "xml")]
    public async Task Bad_create_arguments_are_bad_usage_naming_the_option(string[] args, string message)
    {
        var run = await LoadCli.RunAsync(["create", .. args]);

        Assert.That(run.ExitCode, Is.EqualTo(Cli.BadUsage));
        Assert.That(run.Stderr, Does.Contain(message));
    }

    [Test]
    public async Task Seed_without_a_ticket_count_is_bad_usage()
    {
        var run = await LoadCli.RunAsync("seed", "--connection-string", "Host=127.0.0.1");

        Assert.That(run.ExitCode, Is.EqualTo(Cli.BadUsage));
        Assert.That(run.Stderr, Does.Contain("--tickets"));
    }

    [Test]
    public void Rate_parses_to_an_open_loop_plan()
    {
        var command = new CreateLoadCommand();

        var parse = command.Parse(["--url", "http://127.0.0.1:5080", "--rate", "1000", "--duration", "20s", "--warmup", "2s", "--max-in-flight", "64"]);

        Assert.That(parse.Errors, Is.Empty);
        Assert.That(command.Load.Plan(parse), Is.EqualTo(LoadPlan.OpenLoop(1000, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(2), 64)));
    }

    [Test]
    public void Concurrency_parses_to_a_closed_loop_plan()
    {
        var command = new ReadLoadCommand();

        var parse = command.Parse(["--url", "http://127.0.0.1:5080", "--concurrency", "32", "--duration", "1.5m", "--path", "/api/tickets?status=open"]);

        Assert.That(parse.Errors, Is.Empty);
        Assert.That(command.Load.Plan(parse), Is.EqualTo(LoadPlan.ClosedLoop(32, TimeSpan.FromSeconds(90))));
    }
}
