using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Npgsql;
using OpsDesk.Db;
using OpsDesk.Db.Auth;

namespace OpsDesk.Worker.Commands;

/// <summary><c>opsdesk keys create|list|revoke</c>: manage API keys straight in the database. A key is printed once, at creation.</summary>
public static class KeysCommand
{
    public static Command Build()
    {
        var keys = new Command("keys", "Manage API keys (only hashes are stored; a key is shown once, when created).");
        keys.Subcommands.Add(BuildCreate());
        keys.Subcommands.Add(BuildList());
        keys.Subcommands.Add(BuildRevoke());
        return keys;
    }

    private static Command BuildCreate()
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
        var output = OutputOption("text", "json");
        var command = new Command("create", "Create a key and print it once. --output json prints {id, name, role, key}.") { role, name, output };
        command.SetAction((parse, ct) => WithDatabaseAsync(parse, async (repo, stdout, stderr) =>
        {
            var keyName = parse.GetValue(name)!.Trim();
            var created = await repo.CreateAsync(keyName, parse.GetValue(role)!, ct);
            if (created is null)
            {
                await stderr.WriteLineAsync($"error: an active key is already named '{keyName}'. Revoke it first (opsdesk keys list, opsdesk keys revoke <id>) or choose another name.");
                return Cli.Failed;
            }

            if (parse.GetValue(output) == "json")
            {
                await stdout.WriteLineAsync(Json(w =>
                {
                    w.WriteStartObject();
                    w.WriteNumber("id", created.Id);
                    w.WriteString("name", created.Name);
                    w.WriteString("role", created.Role);
                    w.WriteString("key", created.Key);
                    w.WriteEndObject();
                }));
            }
            else
            {
                await stdout.WriteLineAsync($"Created {created.Role} key {created.Id} ('{created.Name}'). It is shown only this once:");
                await stdout.WriteLineAsync(created.Key);
            }

            return Cli.Ok;
        }));
        return command;
    }

    private static Command BuildList()
    {
        var output = OutputOption("table", "json");
        var command = new Command("list", "List keys: id, name, role, prefix, created, last used, revoked. Never the keys.") { output };
        command.SetAction((parse, ct) => WithDatabaseAsync(parse, async (repo, stdout, _) =>
        {
            var rows = await repo.ListAsync(ct);
            if (parse.GetValue(output) == "json")
            {
                await stdout.WriteLineAsync(Json(w =>
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
                        WriteTime(w, "lastUsedAt", row.LastUsedAt);
                        WriteTime(w, "revokedAt", row.RevokedAt);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                }));
                return Cli.Ok;
            }

            string[] header = ["ID", "NAME", "ROLE", "PREFIX", "CREATED", "LAST USED", "REVOKED"];
            var table = rows.Select(r => new[]
            {
                r.Id.ToString(CultureInfo.InvariantCulture), r.Name, r.Role, r.Prefix, Text(r.CreatedAt), Text(r.LastUsedAt), Text(r.RevokedAt),
            }).Prepend(header).ToList();
            var widths = Enumerable.Range(0, header.Length).Select(i => table.Max(row => row[i].Length)).ToArray();
            foreach (var row in table)
                await stdout.WriteLineAsync(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
            return Cli.Ok;
        }));
        return command;
    }

    private static Command BuildRevoke()
    {
        var id = new Argument<long>("id") { Description = "The key's id (from opsdesk keys list)." };
        var command = new Command("revoke", "Revoke a key; it stops working on the next request. Revoking twice is fine.") { id };
        command.SetAction((parse, ct) => WithDatabaseAsync(parse, async (repo, stdout, stderr) =>
        {
            var keyId = parse.GetValue(id);
            switch (await repo.RevokeAsync(keyId, ct))
            {
                case RevokeOutcome.NotFound:
                    await stderr.WriteLineAsync($"error: there is no key {keyId}.");
                    return Cli.Failed;
                case RevokeOutcome.AlreadyRevoked:
                    await stdout.WriteLineAsync($"Key {keyId} was already revoked.");
                    return Cli.Ok;
                default:
                    await stdout.WriteLineAsync($"Revoked key {keyId}.");
                    return Cli.Ok;
            }
        }));
        return command;
    }

    private static Option<string> OutputOption(string defaultFormat, params string[] formats)
    {
        var option = new Option<string>("--output", "-o") { Description = $"Output format: {string.Join(" or ", formats)}.", DefaultValueFactory = _ => defaultFormat };
        option.AcceptOnlyFromAmong(formats);
        return option;
    }

    private static async Task<int> WithDatabaseAsync(ParseResult parse, Func<ApiKeyRepository, TextWriter, TextWriter, Task<int>> action)
    {
        var stdout = parse.InvocationConfiguration.Output;
        var stderr = parse.InvocationConfiguration.Error;
        var cs = CommonOptions.BuildConfiguration(parse).GetConnectionString(OpsDeskDbServiceCollectionExtensions.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(cs))
        {
            await stderr.WriteLineAsync("error: no database configured. Set ConnectionStrings__OpsDesk or pass --connection-string.");
            return Cli.BadUsage;
        }

        try
        {
            await using var dataSource = NpgsqlDataSource.Create(cs);
            return await action(new ApiKeyRepository(dataSource), stdout, stderr);
        }
        catch (Exception ex) when (OpsDesk.Db.Resilience.DbErrors.IsDatabaseFailure(ex) || ex is ArgumentException or InvalidOperationException)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}");
            return Cli.Failed;
        }
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
            write(w);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteTime(Utf8JsonWriter w, string name, DateTime? value)
    {
        if (value is { } v)
            w.WriteString(name, UtcTime.Offset(v));
        else
            w.WriteNull(name);
    }

    private static string Text(DateTime? value) => value is { } v ? UtcTime.Offset(v).ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "-";
}
