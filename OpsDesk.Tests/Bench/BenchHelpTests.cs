using OpsDesk.Tests.Worker.Commands;
using OpsDesk.Worker.Commands;

namespace OpsDesk.Tests.Bench;

public sealed class BenchHelpTests
{
    [Test]
    public async Task Help_of_the_bench_lists_the_load_seed_classify_and_temporal_commands()
    {
        var run = await LoadCli.RunAsync("--help");

        Assert.That(run.ExitCode, Is.EqualTo(Cli.Ok), run.Stderr);
        Assert.That(OpsdeskProcessTests.CommandNames(run.Stdout),
            Is.EquivalentTo(new[] { "create", "read", "comment", "seed", "classify", "triage", "started", "temporal", "otlp-sink" }), run.Stdout);
    }

    [Test]
    public async Task The_bench_without_a_command_is_bad_usage()
    {
        var run = await LoadCli.RunAsync();

        Assert.That(run.ExitCode, Is.EqualTo(Cli.BadUsage));
        Assert.That(run.Stderr, Does.Contain("error:"));
    }
}
