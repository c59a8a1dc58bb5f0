using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Npgsql;
using OpsDesk.Db;
using OpsDesk.Db.Auth;
using OpsDesk.Db.Resilience;

namespace OpsDesk.Worker.Commands.Keys;

/// <summary><c>opsdesk keys create|list|revoke</c>: manage API keys straight in the database. A key is printed once, at creation.</summary>
public static class KeysCommand
{
    public static Command Build() =>
        new("keys", "Manage API keys (only hashes are stored; a key is shown once, when created).")
        {
            KeysCreateCommand.Build(),
            KeysListCommand.Build(),
            KeysRevokeCommand.Build(),
        };

    /// <summary>Runs <paramref name="action"/> with the key repository; a database that fails is one line on stderr, exit 1.</summary>
    internal static Task<int> WithDatabaseAsync(ParseResult parse, Func<ApiKeyRepository, TextWriter, TextWriter, Task<int>> action) =>
        WithDatabaseAsync(parse, dataSource => new ApiKeyRepository(dataSource), action);

    /// <summary>Runs <paramref name="action"/> with a repository over the configured database; a database that fails, or a refused write, is one line on stderr, exit 1.</summary>
    internal static async Task<int> WithDatabaseAsync<TRepository>(
        ParseResult parse, Func<NpgsqlDataSource, TRepository> repository, Func<TRepository, TextWriter, TextWriter, Task<int>> action)
    {
        var stdout = parse.InvocationConfiguration.Output;
        var stderr = parse.InvocationConfiguration.Error;
        await using var dataSource = await CliDatabase.OpenAsync(CommonOptions.BuildConfiguration(parse), stderr);
        if (dataSource is null)
            return Cli.BadUsage;
        try
        {
            return await action(repository(dataSource), stdout, stderr);
        }
        catch (Exception ex) when (DbErrors.IsDatabaseFailure(ex) || ex is ArgumentException or InvalidOperationException)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}");
            return Cli.Failed;
        }
    }

    /// <summary>One JSON document written with <paramref name="write"/>, as a string.</summary>
    internal static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
            write(w);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    internal static void WriteTime(Utf8JsonWriter w, string name, DateTime? value)
    {
        if (value is { } v)
            w.WriteString(name, UtcTime.Offset(v));
        else
            w.WriteNull(name);
    }

    internal static string Text(DateTime? value) => value is { } v ? UtcTime.Offset(v).ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "-";
}
