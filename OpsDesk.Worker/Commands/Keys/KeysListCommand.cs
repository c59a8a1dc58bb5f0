using System.CommandLine;
using System.Globalization;
using OpsDesk.Db;

namespace OpsDesk.Worker.Commands.Keys;

/// <summary><c>opsdesk keys list</c>: every key's id, name, role, prefix and times; never the keys.</summary>
public static class KeysListCommand
{
    public static Command Build()
    {
        var output = OutputOptions.Create();
        var command = new Command("list", "List keys: id, name, role, prefix, created, last used, revoked. Never the keys.") { output };
        command.SetAction((parse, ct) => KeysCommand.WithDatabaseAsync(parse, async (repo, stdout, _) =>
        {
            var rows = await repo.ListAsync(ct);
            if (parse.GetValue(output) == OutputOptions.Json)
            {
                await stdout.WriteLineAsync(KeysCommand.Json(w =>
                {
                    w.WriteStartArray();
                    foreach (var row in rows)
                    {
                        w.WriteStartObject();
                        w.WriteNumber("id", row.Id);
                        w.WriteString("name", row.Name);
                        w.WriteString("role", row.Role);
                        w.WriteString("prefix", row.Prefix);
                        w.WriteString("createdAt", UtcTime.Offset(row.CreatedAt));
                        KeysCommand.WriteTime(w, "lastUsedAt", row.LastUsedAt);
                        KeysCommand.WriteTime(w, "revokedAt", row.RevokedAt);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                }));
                return Cli.Ok;
            }

            string[] header = ["ID", "NAME", "ROLE", "PREFIX", "CREATED", "LAST USED", "REVOKED"];
            await OutputOptions.WriteTextTableAsync(stdout, header, rows.Select(r => new[]
            {
                r.Id.ToString(CultureInfo.InvariantCulture), r.Name, r.Role, r.Prefix, KeysCommand.Text(r.CreatedAt), KeysCommand.Text(r.LastUsedAt), KeysCommand.Text(r.RevokedAt),
            }));
            return Cli.Ok;
        }));
        return command;
    }
}
