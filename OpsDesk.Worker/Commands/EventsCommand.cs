using System.CommandLine;

namespace OpsDesk.Worker.Commands;

/// <summary><c>opsdesk events ...</c>: look at the Kafka event stream.</summary>
public static class EventsCommand
{
    public static Command Build(CliServices? services = null)
    {
        var command = new Command("events", "Inspect the Kafka event stream the outbox relay publishes, and the events it parked.");
        command.Subcommands.Add(EventsTailCommand.Build());
        command.Subcommands.Add(EventsParkedCommand.Build(services));
        return command;
    }
}
