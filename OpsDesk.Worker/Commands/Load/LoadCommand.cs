using System.CommandLine;

namespace OpsDesk.Worker.Commands.Load;

/// <summary><c>opsdesk load</c>: load generation and benchmark data for operators.</summary>
public static class LoadCommand
{
    public static Command Build()
    {
        var command = new Command("load", "Benchmark a running OpsDesk: create and read load over HTTP, bulk seeding, classifier throughput.");
        command.Subcommands.Add(HttpLoadCommands.Create());
        command.Subcommands.Add(HttpLoadCommands.Read());
        command.Subcommands.Add(SeedCommand.Build());
        command.Subcommands.Add(ClassifyCommand.Build());
        command.Subcommands.Add(TemporalLoadCommands.Triage());
        command.Subcommands.Add(TemporalLoadCommands.Started());
        command.Subcommands.Add(TemporalLoadCommands.Baseline());
        return command;
    }
}
