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

    /// <summary>
    /// Runs a database command: opens the data source from the command line's configuration (bad usage when
    /// there is none) and turns a failing database into one line on stderr and exit code 1.
    /// </summary>
    public static async Task<int> RunAsync(System.CommandLine.ParseResult parse, Func<NpgsqlDataSource, TextWriter, TextWriter, Task<int>> action)
    {
        var stdout = parse.InvocationConfiguration.Output;
        var stderr = parse.InvocationConfiguration.Error;
        await using var dataSource = await OpenAsync(CommonOptions.BuildConfiguration(parse), stderr);
        if (dataSource is null)
            return Cli.BadUsage;
        try
        {
            return await action(dataSource, stdout, stderr);
        }
        catch (Exception ex) when (Db.Resilience.DbErrors.IsDatabaseFailure(ex) || ex is ArgumentException or InvalidOperationException)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}");
            return Cli.Failed;
        }
    }
}
