using System.CommandLine;
using System.Globalization;
using OpsDesk.Worker.Commands.Keys;

namespace OpsDesk.Worker.Commands.Agents;

/// <summary><c>opsdesk agents list</c>: every agent's id, name, role, email, state and JWT subject.</summary>
public static class AgentsListCommand
{
    public static Command Build()
    {
        var output = OutputOptions.Create();
        var command = new Command("list", "List agents: id, name, role, email, active, JWT subject, created, deactivated.") { output };
        command.SetAction((parse, ct) => AgentsCommand.WithDatabaseAsync(parse, async (repo, stdout, _) =>
        {
            var rows = await repo.ListAsync(ct);
            if (parse.GetValue(output) == OutputOptions.Json)
            {
                await stdout.WriteLineAsync(KeysCommand.Json(w =>
                {
                    w.WriteStartArray();
                    foreach (var row in rows)
                        AgentsCommand.Write(w, row);
                    w.WriteEndArray();
                }));
                return Cli.Ok;
            }

            string[] header = ["ID", "NAME", "ROLE", "EMAIL", "ACTIVE", "JWT SUBJECT", "CREATED", "DEACTIVATED"];
            var table = rows.Select(r => new[]
            {
                r.Id.ToString(CultureInfo.InvariantCulture), r.Name, r.Role, r.Email ?? "-", r.Active ? "yes" : "no", r.JwtSubject ?? "-",
                KeysCommand.Text(r.CreatedAt), KeysCommand.Text(r.DeactivatedAt),
            }).Prepend(header).ToList();
            var widths = Enumerable.Range(0, header.Length).Select(i => table.Max(row => row[i].Length)).ToArray();
            foreach (var row in table)
                await stdout.WriteLineAsync(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
            return Cli.Ok;
        }));
        return command;
    }
}
