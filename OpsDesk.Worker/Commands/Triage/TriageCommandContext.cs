using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using OpsDesk.Db;
using OpsDesk.Db.Configuration;
using OpsDesk.Db.Resilience;
using OpsDesk.Db.Triage;
using OpsDesk.Workflows.Temporal;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace OpsDesk.Worker.Commands.Triage;

/// <summary>What a <c>triage</c> subcommand works with: writers, configuration, database and Temporal.</summary>
internal sealed class TriageCommandContext : IAsyncDisposable
{
    private NpgsqlDataSource? dataSource;

    private TriageCommandContext(ParseResult parse, CliServices services, IConfiguration configuration)
    {
        Services = services;
        Out = parse.InvocationConfiguration.Output;
        Err = parse.InvocationConfiguration.Error;
        Configuration = configuration;
        Temporal = new CliTemporal(configuration.GetSection(TemporalOptions.Section).Get<TemporalOptions>() ?? new TemporalOptions(), services);
    }

    public CliServices Services { get; }

    public TextWriter Out { get; }

    public TextWriter Err { get; }

    public IConfiguration Configuration { get; }

    public CliTemporal Temporal { get; }

    public TriageQueries Queries => new(dataSource ?? throw new InvalidOperationException("no database opened"));

    /// <summary>
    /// The action of a command with a database: a database that cannot be reached is reported in one
    /// line with exit code 1, not as a stack trace.
    /// </summary>
    public static Func<ParseResult, CancellationToken, Task<int>> Action(CliServices services, Func<TriageCommandContext, ParseResult, CancellationToken, Task<int>> run) =>
        async (parse, ct) =>
        {
            await using var context = Create(parse, services);
            if (await context.CheckSettingsAsync(ct) is { } refused)
                return refused;
            try
            {
                return await run(context, parse, ct);
            }
            catch (Exception ex) when (DbErrors.IsDatabaseFailure(ex) && !ct.IsCancellationRequested)
            {
                await context.Err.WriteLineAsync($"error: database: {ex.Message}");
                return Cli.Failed;
            }
        };

    public static TriageCommandContext Create(ParseResult parse, CliServices services)
    {
        var configuration = CommonOptions.BuildConfiguration(parse);
        if (services.Settings.Count > 0)
        {
            configuration = new ConfigurationBuilder()
                .AddConfiguration(configuration)
                .AddInMemoryCollection(services.Settings)
                .AddInMemoryCollection(CommonOptions.Overrides(parse))
                .Build();
        }

        return new TriageCommandContext(parse, services, configuration);
    }

    /// <summary>
    /// Checks the <c>Temporal:*</c> settings with the validators the worker host uses: each problem one
    /// line naming the key, exit code 2 (bad usage); null when they are fine.
    /// </summary>
    private async Task<int?> CheckSettingsAsync(CancellationToken ct)
    {
        var checks = new ServiceCollection();
        checks.AddOptions<TemporalOptions>().Bind(Configuration.GetSection(TemporalOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        checks.AddSingleton<IValidateOptions<TemporalOptions>, TemporalOptionsValidator>();
        await using var provider = checks.BuildServiceProvider();
        return await StartupCheck.ReportAsync(provider, Err, ct);
    }

    /// <summary>Opens the database; false (with the message written) when none is configured or the connection string is not valid.</summary>
    public async Task<bool> TryOpenDatabaseAsync()
    {
        dataSource = await CliDatabase.OpenAsync(Configuration, Err);
        return dataSource is not null;
    }

    public async ValueTask DisposeAsync()
    {
        if (dataSource is not null)
            await dataSource.DisposeAsync();
    }
}
