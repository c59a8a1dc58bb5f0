using System.CommandLine;
using OpsDesk.Db.Agents;

namespace OpsDesk.Worker.Commands.Agents;

/// <summary><c>opsdesk agents create</c>: create an agent; creating the same agent again prints it and exits 0.</summary>
public static class AgentsCreateCommand
{
    public static Command Build()
    {
        var name = new Option<string>("--name") { Description = "A name unique among agents.", Required = true };
        var role = new Option<string>("--role") { Description = "agent or admin.", DefaultValueFactory = _ => "agent" };
        role.AcceptOnlyFromAmong([.. AgentRoles.All]);
        var email = new Option<string?>("--email") { Description = "Contact address (optional)." };
        var subject = new Option<string?>("--jwt-subject") { Description = "The JWT 'sub' claim that signs in as this agent (optional)." };
        var output = OutputOptions.Create("text");
        var command = new Command("create", "Create an agent. Idempotent: the same name with the same details prints the existing agent.") { name, role, email, subject, output };
        command.SetAction((parse, ct) => AgentsCommand.WithDatabaseAsync(parse, async (repo, stdout, stderr) =>
        {
            var errors = AgentValidation.Validate(parse.GetValue(name), parse.GetValue(role), parse.GetValue(email), parse.GetValue(subject), out var agent);
            if (errors.Count > 0)
            {
                foreach (var message in errors.SelectMany(e => e.Value))
                    await stderr.WriteLineAsync($"error: {message}");
                return Cli.BadUsage;
            }

            var result = await repo.CreateAsync(agent!, ct);
            if (result.Outcome == AgentCreateOutcome.Conflict)
            {
                await stderr.WriteLineAsync($"error: agent {result.Agent.Id} ('{result.Agent.Name}') already holds that name or JWT subject with other details.");
                return Cli.Failed;
            }

            if (parse.GetValue(output) == OutputOptions.Json)
            {
                await stdout.WriteLineAsync(Keys.KeysCommand.Json(w => AgentsCommand.Write(w, result.Agent)));
            }
            else
            {
                var verb = result.Outcome == AgentCreateOutcome.Created ? "Created" : "Already exists:";
                await stdout.WriteLineAsync($"{verb} {result.Agent.Role} {result.Agent.Id} ('{result.Agent.Name}'). Give it a key: opsdesk keys create --role {result.Agent.Role} --name <key name> --agent {result.Agent.Id}");
            }

            return Cli.Ok;
        }));
        return command;
    }
}
