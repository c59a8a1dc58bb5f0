using System.CommandLine;
using Microsoft.Extensions.Logging;
using OpsDesk.Db;

namespace OpsDesk.Worker.Commands;

/// <summary><c>opsdesk migrate</c>: apply pending migrations and exit; non-zero with a message on failure.</summary>
public static class MigrateCommand
{
    public static Command Build()
    {
        var command = new Command("migrate", "Apply pending database migrations and exit.");
        command.SetAction(async (parse, ct) =>
        {
            var err = parse.InvocationConfiguration.Error;
            var output = parse.InvocationConfiguration.Output;
            if (await CliDatabase.ConnectionStringAsync(CommonOptions.BuildConfiguration(parse), err) is not { } cs)
                return Cli.BadUsage;

            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
            try
            {
                var result = await new DbMigrator(loggers.CreateLogger<DbMigrator>()).MigrateAsync(cs, ct: ct);
                if (!result.Successful)
                {
                    await err.WriteLineAsync("error: " + result.Error);
                    return Cli.Failed;
                }

                await output.WriteLineAsync(result.Applied.Count == 0
                    ? "Database schema is up to date."
                    : $"Applied {result.Applied.Count} migration(s): {string.Join(", ", result.Applied)}");
                return Cli.Ok;
            }
            catch (Exception ex) when (OpsDesk.Db.Resilience.DbErrors.IsDatabaseFailure(ex) || ex is ArgumentException or InvalidOperationException)
            {
                await err.WriteLineAsync($"error: migration failed: {ex.Message}");
                return Cli.Failed;
            }
        });
        return command;
    }
}
