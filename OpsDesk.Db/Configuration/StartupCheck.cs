using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using OpsDesk.Db.Resilience;

namespace OpsDesk.Db.Configuration;

/// <summary>
/// What the API and the worker host check before they start serving: every options class registered
/// with <c>ValidateOnStart</c>, and that the configured database exists. Problems come back one line
/// each, naming the configuration key; the process prints them and exits with <see cref="ExitCode"/>,
/// without a stack trace. A database that is merely unreachable is not a problem here: the process
/// starts and answers 503 / retries until it is back.
/// </summary>
public static class StartupCheck
{
    /// <summary>Exit code of a process that refused to start on its configuration.</summary>
    public const int ExitCode = 2;

    public static async Task<IReadOnlyList<string>> RunAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var problems = new List<string>();
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
        }
        catch (OptionsValidationException e)
        {
            problems.AddRange(e.Failures.Select(Describe));
        }
        catch (AggregateException e) when (e.InnerExceptions.All(i => i is OptionsValidationException))
        {
            problems.AddRange(e.InnerExceptions.Cast<OptionsValidationException>().SelectMany(i => i.Failures).Select(Describe));
        }

        if (problems.Count == 0 && services.GetService<IOptions<ConnectionStringOptions>>()?.Value.OpsDesk is { Length: > 0 } cs)
        {
            var missing = await MissingDatabaseAsync(cs, ct);
            if (missing is not null)
                problems.Add(missing);
        }

        return problems.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Runs the checks and writes each problem as one <c>error:</c> line; returns the exit code to stop with, or null to go on.</summary>
    public static async Task<int?> ReportAsync(IServiceProvider services, TextWriter error, CancellationToken ct = default)
    {
        var problems = await RunAsync(services, ct);
        foreach (var problem in problems)
            await error.WriteLineAsync("error: " + problem);
        return problems.Count == 0 ? null : ExitCode;
    }

    /// <summary>A validation failure without the wrapper text DataAnnotations puts around it (which names C# types).</summary>
    public static string Describe(string failure)
    {
        const string marker = " with the error: '";
        var at = failure.IndexOf(marker, StringComparison.Ordinal);
        if (!failure.StartsWith("DataAnnotation validation failed", StringComparison.Ordinal) || at < 0)
            return failure;
        var inner = failure[(at + marker.Length)..];
        return inner.EndsWith("'.", StringComparison.Ordinal) ? inner[..^2] : inner.TrimEnd('\'');
    }

    private static async Task<string?> MissingDatabaseAsync(string connectionString, CancellationToken ct)
    {
        var cs = new NpgsqlConnectionStringBuilder(connectionString) { Multiplexing = false, Pooling = false, Timeout = 5 };
        await using var conn = new NpgsqlConnection(cs.ConnectionString);
        try
        {
            await conn.OpenAsync(ct);
            return null;
        }
        catch (PostgresException e) when (e.SqlState == DbMigrator.MissingDatabase)
        {
            return DbMigrator.MissingDatabaseMessage(cs.Database ?? "");
        }
        catch (Exception e) when (DbErrors.IsTransient(e))
        {
            return null; // down for now: the process starts and waits for it
        }
    }
}
