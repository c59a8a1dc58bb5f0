using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpsDesk.Worker.Hosting;
using OpsDesk.Workflows.Temporal;
using Temporalio.Client;

namespace OpsDesk.Tests.Support;

/// <summary>The real worker host (Temporal worker, reconciler, …) over the test database and a given Temporal client.</summary>
public sealed class LiveWorker : IAsyncDisposable
{
    private readonly WebApplication app;

    private LiveWorker(WebApplication app, RecordingLoggerProvider logs)
    {
        this.app = app;
        Logs = logs;
    }

    public RecordingLoggerProvider Logs { get; }

    public IServiceProvider Services => app.Services;

    /// <summary>
    /// The settings a live test's API and worker share: its own task queue, the local classifier, and a
    /// reconciler that leaves alone the tickets parallel tests keep queued on purpose in the shared test
    /// database (none of them is a day old). <paramref name="extra"/> adds or overrides keys.
    /// </summary>
    public static Dictionary<string, string?> Settings(string taskQueue, params (string Key, string? Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Temporal:TaskQueue"] = taskQueue,
            ["Triage:Provider"] = "local",
            ["Triage:ReconcileEverySeconds"] = "3600",
            ["Triage:ReconcileAfterSeconds"] = "86400",
        };
        foreach (var (k, v) in extra)
            settings[k] = v;
        return settings;
    }

    /// <summary>Where the worker's health endpoints answer.</summary>
    public Uri BaseAddress => new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <param name="environment">Production (the default) registers no search attributes; Development does, as a developer's worker would.</param>
    /// <param name="services">Runs after the worker's own registrations (e.g. a telemetry exporter of the test's).</param>
    public static async Task<LiveWorker> StartAsync(
        ITemporalClient? client, Dictionary<string, string?> settings, string environment = "Production", Action<IServiceCollection>? services = null)
    {
        var logs = new RecordingLoggerProvider();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], EnvironmentName = environment });
        var config = new Dictionary<string, string?>
        {
            ["ConnectionStrings:OpsDesk"] = TestDatabase.ConnectionString,
            ["Database:MigrateOnStart"] = "false",
        };
        foreach (var (k, v) in settings)
            config[k] = v;
        builder.Configuration.AddInMemoryCollection(config);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.AddProvider(logs);
        WorkerHost.Configure(builder);
        if (client is not null)
            OverrideClient(builder.Services, client);
        services?.Invoke(builder.Services);
        var app = builder.Build();
        WorkerHost.Map(app);
        await app.StartAsync();
        return new LiveWorker(app, logs);
    }

    /// <summary>Makes every Temporal user in the container use <paramref name="client"/> instead of connecting.</summary>
    public static void OverrideClient(IServiceCollection services, ITemporalClient client)
    {
        services.RemoveAll<TemporalClientProvider>();
        services.AddSingleton(sp => new TemporalClientProvider(
            sp.GetRequiredService<IOptions<TemporalOptions>>(), sp.GetRequiredService<ILogger<TemporalClientProvider>>())
        { Override = client });
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
