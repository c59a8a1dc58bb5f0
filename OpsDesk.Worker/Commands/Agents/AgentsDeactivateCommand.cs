using System.CommandLine;

namespace OpsDesk.Worker.Commands.Agents;

/// <summary><c>opsdesk agents deactivate</c>: the agent's keys stop working on the next request; deactivating twice is fine.</summary>
public static class AgentsDeactivateCommand
{
    public static Command Build()
    {
        var id = new Argument<long>("id") { Description = "The agent's id (from opsdesk agents list)." };
        var command = new Command("deactivate", "Deactivate an agent: its keys and JWT stop working on the next request and it can no longer be assigned.") { id };
        command.SetAction((parse, ct) => AgentsCommand.WithDatabaseAsync(parse, async (repo, stdout, stderr) =>
        {
            var agentId = parse.GetValue(id);
            if (await repo.DeactivateAsync(agentId, ct) is null)
            {
                await stderr.WriteLineAsync($"error: there is no agent {agentId}.");
                return Cli.Failed;
            }

            await stdout.WriteLineAsync($"Agent {agentId} is deactivated.");
            return Cli.Ok;
        }));
        return command;
    }
}
