using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Npgsql;
using OpsDesk.Db;
using OpsDesk.Db.Auth;

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
        CliDatabase.RunAsync(parse, (dataSource, stdout, stderr) => action(new ApiKeyRepository(dataSource), stdout, stderr));

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
