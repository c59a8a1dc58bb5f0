using System.CommandLine;
using OpsDesk.Db.Auth;

namespace OpsDesk.Worker.Commands.Keys;

/// <summary><c>opsdesk keys create</c>: create a key and print it once.</summary>
public static class KeysCreateCommand
{
    public static Command Build()
    {
        var role = new Option<string>("--role") { Description = "requester, agent or admin.", Required = true };
        role.AcceptOnlyFromAmong([.. ApiKeyRoles.All]);
        var name = new Option<string>("--name") { Description = "A name unique among active keys (who or what uses the key).", Required = true };
        name.Validators.Add(r =>
        {
            var value = r.GetValueOrDefault<string>()?.Trim();
            if (string.IsNullOrEmpty(value) || value.Length > 100 || value.Any(char.IsControl))
                r.AddError("--name must be 1–100 characters without control characters.");
        });
        var agent = new Option<long?>("--agent")
        {
            Description = "Agent and admin keys: the id of the agent the key belongs to (opsdesk agents list). Default: the agent named like the key, created when missing.",
        };
        var output = OutputOptions.Create("text");
        var command = new Command("create", "Create a key and print it once. --output json prints {id, name, role, key, agentId}.") { role, name, agent, output };
        command.SetAction((parse, ct) => KeysCommand.WithDatabaseAsync(parse, async (repo, stdout, stderr) =>
        {
            var keyName = parse.GetValue(name)!.Trim();
            var created = await repo.CreateAsync(keyName, parse.GetValue(role)!, parse.GetValue(agent), ct);
            if (created is null)
            {
                await stderr.WriteLineAsync($"error: an active key is already named '{keyName}'. Revoke it first (opsdesk keys list, opsdesk keys revoke <id>) or choose another name.");
                return Cli.Failed;
            }

            if (parse.GetValue(output) == OutputOptions.Json)
            {
                await stdout.WriteLineAsync(KeysCommand.Json(w =>
                {
                    w.WriteStartObject();
                    w.WriteNumber("id", created.Id);
                    w.WriteString("name", created.Name);
                    w.WriteString("role", created.Role);
                    w.WriteString("key", created.Key);
                    if (created.AgentId is { } agentId)
                        w.WriteNumber("agentId", agentId);
                    else
                        w.WriteNull("agentId");
                    w.WriteEndObject();
                }));
            }
            else
            {
                var owner = created.AgentId is { } id ? $" for agent {id}" : "";
                await stdout.WriteLineAsync($"Created {created.Role} key {created.Id} ('{created.Name}'){owner}. It is shown only this once:");
                await stdout.WriteLineAsync(created.Key);
            }

            return Cli.Ok;
        }));
        return command;
    }
}
