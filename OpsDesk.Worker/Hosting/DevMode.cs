// Dev mode is the one place that composes everything: PostgreSQL, a Temporal dev server, the API
// and the worker, in one process on one machine, without Docker. Everything it starts, it stops.
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OpsDesk.Api;
using OpsDesk.Db;
using OpsDesk.Db.Local;
using OpsDesk.Worker.Commands;
using OpsDesk.Workflows.Temporal;

namespace OpsDesk.Worker.Hosting;

/// <summary><c>opsdesk dev</c>: the whole system on one machine; Ctrl+C stops all of it.</summary>
public static class DevMode
{
    /// <summary>How long the Temporal CLI may take to answer once started (a first start creates its database).</summary>
    public static readonly TimeSpan TemporalStartupTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Starts into the first line of this text once everything is up.</summary>
    public const string ReadyBanner = "OpsDesk dev mode is up:";

    public static async Task<int> RunAsync(
        DevModeSettings settings,
        IReadOnlyDictionary<string, string?> overrides,
        TextWriter output,
        TextWriter error,
        CancellationToken ct)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
                              ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
                              ?? Environments.Development,
        });
        builder.Configuration.AddInMemoryCollection(overrides);
        var config = builder.Configuration;

        // Stopped in reverse order of starting, whatever happens.
        var started = new Stack<IAsyncDisposable>();
        try
        {
            var connectionString = config.GetConnectionString(OpsDeskDbServiceCollectionExtensions.ConnectionStringName);
            if (string.IsNullOrWhiteSpace(connectionString) && LocalPostgresServer.FindBinDir() is null)
                throw new DevModeException(LocalPostgresServer.InstallHint);

            var dev = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
            {
                // Dev mode applies migrations itself, below, so a failure reads as one clear message.
                [$"{DatabaseOptions.Section}:{nameof(DatabaseOptions.MigrateOnStart)}"] = "false",
                ["Urls"] = settings.Urls,
            };

            // Temporal: the configured server, or a dev server of our own.
            var temporalUi = config[$"{TemporalOptions.Section}:{nameof(TemporalOptions.UiUrl)}"] ?? new TemporalOptions().UiUrl;
            if (config[$"{TemporalOptions.Section}:{nameof(TemporalOptions.Address)}"] is { Length: > 0 } address)
            {
                await output.WriteLineAsync($"dev: Temporal at {address} (Temporal:Address)");
            }
            else
            {
                await output.WriteLineAsync(settings.TemporalCliPath is null
                    ? "dev: starting a Temporal dev server (the SDK downloads the Temporal CLI on first use)..."
                    : $"dev: starting a Temporal dev server with {settings.TemporalCliPath}...");
                var @namespace = config[$"{TemporalOptions.Section}:{nameof(TemporalOptions.Namespace)}"] ?? new TemporalOptions().Namespace;
                var temporal = await DevModeTemporal.StartAsync(settings.DataDir, settings.TemporalCliPath, @namespace, TemporalStartupTimeout, ct);
                started.Push(temporal);
                temporalUi = temporal.UiUrl;
                dev[$"{TemporalOptions.Section}:{nameof(TemporalOptions.Address)}"] = temporal.Address;
                dev[$"{TemporalOptions.Section}:{nameof(TemporalOptions.UiUrl)}"] = temporal.UiUrl;
                await output.WriteLineAsync($"dev: Temporal dev server at {temporal.Address}");
            }

            // PostgreSQL: the configured database, or a server of our own whose data survives restarts.
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                var root = Path.Combine(settings.DataDir, "postgres");
                LocalPostgresServer server;
                try
                {
                    server = await LocalPostgresServer.StartPersistentAsync(root, ct);
                }
                catch (InvalidOperationException ex)
                {
                    throw new DevModeException($"could not start PostgreSQL in {root}: {ex.Message}", ex);
                }

                started.Push(server);
                connectionString = server.ConnectionString("opsdesk");
                dev[$"ConnectionStrings:{OpsDeskDbServiceCollectionExtensions.ConnectionStringName}"] = connectionString;
                await output.WriteLineAsync($"dev: PostgreSQL on 127.0.0.1:{server.Port}, database opsdesk, user postgres (data: {server.DataDir})");
            }
            else
            {
                await output.WriteLineAsync("dev: PostgreSQL from ConnectionStrings:OpsDesk");
            }

            await MigrateAsync(connectionString, ct);

            // Unless configured otherwise: the local classifier, and no Kafka (none is set here).
            if (string.IsNullOrEmpty(config["Triage:Provider"]))
                dev["Triage:Provider"] = "local";
            builder.Configuration.AddInMemoryCollection(dev);
            builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
            // The API and the worker composed in one container: check every registration and scope when
            // it is built, so a clash between the two fails dev mode at start instead of on first use.
            builder.Host.UseDefaultServiceProvider(o =>
            {
                o.ValidateScopes = true;
                o.ValidateOnBuild = true;
            });

            builder.AddOpsDeskApi();
            WorkerHost.Configure(builder);
            var app = builder.Build();
            app.UseOpsDeskApi();
            WorkerHost.Map(app);
            started.Push(app);

            try
            {
                await app.StartAsync(ct);
            }
            catch (IOException ex)
            {
                throw new DevModeException($"cannot listen on {settings.Urls}: {ex.Message}\n  Pass another address with --urls, e.g. --urls http://127.0.0.1:5090", ex);
            }
            catch (OptionsValidationException ex)
            {
                throw new DevModeException("invalid configuration: " + ex.Message, ex);
            }

            var api = DisplayUrl(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? settings.Urls);
            await output.WriteLineAsync($"{ReadyBanner} API {api}  docs {api}/docs  Temporal UI {temporalUi}  (Ctrl+C stops everything)");
            await output.FlushAsync(CancellationToken.None);

            await WaitForShutdownAsync(app, ct);
            await app.StopAsync(CancellationToken.None);
            return Cli.Ok;
        }
        catch (DevModeException ex)
        {
            await error.WriteLineAsync("error: " + ex.Message);
            return Cli.Failed;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await error.WriteLineAsync("dev: stopped before everything was up.");
            return Cli.Failed;
        }
        finally
        {
            while (started.TryPop(out var part))
                await part.DisposeAsync();
            await output.WriteLineAsync("dev: stopped.");
        }
    }

    private static async Task MigrateAsync(string connectionString, CancellationToken ct)
    {
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        MigrationResult result;
        try
        {
            result = await new DbMigrator(loggers.CreateLogger<DbMigrator>()).MigrateAsync(connectionString, createDatabase: true, ct);
        }
        catch (Exception ex) when (OpsDesk.Db.Resilience.DbErrors.IsDatabaseFailure(ex) || ex is ArgumentException or InvalidOperationException)
        {
            throw new DevModeException($"cannot migrate the database: {ex.Message}", ex);
        }

        if (!result.Successful)
            throw new DevModeException("cannot migrate the database: " + result.Error);
    }

    private static async Task WaitForShutdownAsync(WebApplication app, CancellationToken ct)
    {
        // Ctrl+C reaches both the command line (ct) and the host's console lifetime; either ends the run.
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var byCommandLine = ct.Register(() => stop.TrySetResult());
        await using var byHost = app.Lifetime.ApplicationStopping.Register(() => stop.TrySetResult());
        await stop.Task;
    }

    /// <summary>A listening address as a person would open it: wildcard hosts become localhost.</summary>
    internal static string DisplayUrl(string address)
    {
        var url = address.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0]
            .Replace("://+:", "://localhost:", StringComparison.Ordinal)
            .Replace("://*:", "://localhost:", StringComparison.Ordinal)
            .Replace("://0.0.0.0:", "://localhost:", StringComparison.Ordinal)
            .Replace("://[::]:", "://localhost:", StringComparison.Ordinal);
        return url.TrimEnd('/');
    }
}
