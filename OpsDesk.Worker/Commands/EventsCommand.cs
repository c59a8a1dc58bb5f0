using System.CommandLine;

namespace OpsDesk.Worker.Commands;

/// <summary><c>opsdesk events ...</c>: look at the Kafka event stream.</summary>
public static class EventsCommand
{
    public static Command Build()
    {
        var command = new Command("events", "Inspect the Kafka event stream the outbox relay publishes.");
        command.Subcommands.Add(EventsTailCommand.Build());
        return command;
    }
}
