using Microsoft.Extensions.Configuration;
using Npgsql;
using OpsDesk.Db;

namespace OpsDesk.Worker.Commands;

/// <summary>
/// How a command reaches PostgreSQL: <c>ConnectionStrings:OpsDesk</c> from <c>--connection-string</c>,
/// the environment or configuration. A missing or malformed one is told in one line (bad usage).
/// </summary>
public static class CliDatabase
{
    /// <summary>The connection string, or null once the user has been told that none is configured.</summary>
    public static async Task<string?> ConnectionStringAsync(IConfiguration configuration, TextWriter err)
    {
        var cs = configuration.GetConnectionString(OpsDeskDbServiceCollectionExtensions.ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(cs))
            return cs;
        await err.WriteLineAsync("error: no database configured. Set ConnectionStrings__OpsDesk or pass --connection-string.");
        return null;
    }

    /// <summary>A data source for one command, or null once the user has been told why there is none.</summary>
    public static async Task<NpgsqlDataSource?> OpenAsync(IConfiguration configuration, TextWriter err)
    {
        if (await ConnectionStringAsync(configuration, err) is not { } cs)
            return null;
        try
        {
            return NpgsqlDataSource.Create(cs);
        }
        catch (ArgumentException ex)
        {
            await err.WriteLineAsync($"error: the connection string is not valid: {ex.Message}");
            return null;
        }
    }
}
