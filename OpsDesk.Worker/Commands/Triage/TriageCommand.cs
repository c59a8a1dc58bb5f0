using System.CommandLine;

namespace OpsDesk.Worker.Commands.Triage;

/// <summary><c>opsdesk triage</c>: find, inspect, retry and replay triages.</summary>
public static class TriageCommand
{
    public static Command Build(CliServices? services = null)
    {
        services ??= CliServices.Default;
        return new Command("triage", "Find, inspect, retry and replay ticket triages.")
        {
            TriageFailedCommand.Build(services),
            TriageShowCommand.Build(services),
            TriageRetryCommand.Build(services),
            TriageReplayCommand.Build(services),
        };
    }
}
