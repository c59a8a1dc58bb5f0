using System.CommandLine;
using OpsDesk.Bench.Classify;
using OpsDesk.Bench.Http;
using OpsDesk.Bench.Seed;
using OpsDesk.Bench.Telemetry;
using OpsDesk.Bench.Temporal;
using OpsDesk.Worker.Commands;

namespace OpsDesk.Bench;

/// <summary>
/// The command line of <c>opsdesk-bench</c>: load against a running OpsDesk, bulk data, the classifier
/// and Temporal measured. Exit codes as <c>opsdesk</c>'s (<see cref="Cli"/>): 0 ok, 1 failed, 2 bad usage.
/// </summary>
public static class BenchCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Benchmark a running OpsDesk: create and read load over HTTP, bulk seeding, classifier throughput, Temporal triage and its ceiling.");
        foreach (var option in CommonOptions.All)
            root.Options.Add(option);
        root.Subcommands.Add(new CreateLoadCommand());
        root.Subcommands.Add(new ReadLoadCommand());
        root.Subcommands.Add(new CommentLoadCommand());
        root.Subcommands.Add(new SeedCommand());
        root.Subcommands.Add(new ClassifyCommand());
        root.Subcommands.Add(new TriageLoadCommand());
        root.Subcommands.Add(new StartedLoadCommand());
        root.Subcommands.Add(new TemporalBaselineCommand());
        root.Subcommands.Add(new OtlpSinkCommand());
        return root;
    }

    public static Task<int> RunAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null) =>
        Cli.RunAsync(Build(), args, stdout, stderr);
}
