using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpsDesk.Db;
using OpsDesk.Db.Configuration;
using OpsDesk.Db.Health;
using OpsDesk.Worker.Kb;
using OpsDesk.Worker.Outbox;
using OpsDesk.Worker.Sla;
using OpsDesk.Worker.Triage;
using OpsDesk.Workflows;
using OpsDesk.Workflows.Kb;
using OpsDesk.Workflows.Sla;
using OpsDesk.Workflows.Telemetry;
using OpsDesk.Workflows.Temporal;
using OpsDesk.Workflows.Triage;
using OpsDesk.Workflows.Triage.Classifiers;
using Temporalio.Extensions.Hosting;

namespace OpsDesk.Worker.Hosting;

/// <summary>The long-running worker process: Temporal worker, reconciler, outbox relay.</summary>
public static class WorkerHost
{
    public static async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.AddInMemoryCollection(Commands.CommonOptions.Overrides(parse));
        // The usual ASP.NET Core settings (ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS, Urls, Kestrel:Endpoints)
        // decide where the health endpoints listen; only when none is given, loopback port 5081.
        if (!HasUrlSettings(builder.Configuration))
            builder.WebHost.UseUrls(DefaultUrl);
        Configure(builder);
        var app = builder.Build();
        var error = parse.InvocationConfiguration.Error;
        if (await StartupCheck.ReportAsync(app.Services, error, ct) is { } exitCode)
            return exitCode;
        Map(app);
        // Taken before the run: RunAsync disposes the host's services when it returns.
        var background = app.Services.GetServices<IHostedService>().OfType<BackgroundService>().ToList();
        await app.RunAsync(ct);

        // The host stops when a background service dies (BackgroundServiceExceptionBehavior.StopHost);
        // a supervisor must then see a failure, not the exit code of a clean shutdown.
        var died = background.Where(s => s.ExecuteTask is { IsFaulted: true }).ToList();
        foreach (var service in died)
            await error.WriteLineAsync($"error: {service.GetType().Name} stopped: {service.ExecuteTask!.Exception!.GetBaseException().Message}");
        return died.Count == 0 ? Commands.Cli.Ok : Commands.Cli.Failed;
    }

    /// <summary>Where the worker's health endpoints listen when no URL setting is given.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5081";

    private static bool HasUrlSettings(ConfigurationManager configuration) =>
        !string.IsNullOrEmpty(configuration["urls"]) || !string.IsNullOrEmpty(configuration["http_ports"])
        || !string.IsNullOrEmpty(configuration["https_ports"]) || configuration.GetSection("Kestrel:Endpoints").Exists();

    /// <summary>The worker's service.name in traces and metrics (unless <c>OTEL_SERVICE_NAME</c> is set).</summary>
    public const string ServiceName = "opsdesk-worker";

    /// <summary>The worker's services; dev mode adds them to the API's host.</summary>
    public static void Configure(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddOpsDeskTelemetry(ServiceName);
        // All of the worker host's data access, in this one call: the data source, the repositories
        // and the outbox store (OpsDesk.Db). CLI commands open theirs through Commands.CliDatabase.
        services.AddOpsDeskDb();
        services.AddTicketClassifiers();
        services.AddKnowledgeBase();
        services.AddTriageStarting();
        services.AddSingleton<WorkerStatus>();

        var taskQueue = builder.Configuration[$"{TemporalOptions.Section}:TaskQueue"] ?? TaskQueues.Default;
        var worker = new TemporalWorkerServiceOptionsBuilder(taskQueue, services)
            .AddScopedActivities<TriageActivities>()
            .AddWorkflow<TriageWorkflow>()
            .AddSingletonActivities<SlaActivities>()
            .AddWorkflow<SlaWorkflow>()
            .AddScopedActivities<KbActivities>()
            .AddWorkflow<KbEmbedWorkflow>();
        services.AddSingleton(new TemporalWorkerRegistration(worker.ConfigureOptions().Name));
        services.AddHostedService<TemporalWorkerRunner>();
        services.AddHostedService<TriageReconciler>();
        services.AddHostedService<KbEmbedReconciler>();
        services.AddSlaDispatcher();

        services.AddOutboxRelay();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KafkaOptions>, KafkaAddressValidator>());

        services.AddDatabaseHealthCheck();
        services.AddHealthChecks().AddCheck<TemporalHealthCheck>("temporal", tags: [HealthEndpoints.ReadyTag]);
    }

    /// <summary>The worker's endpoints: health and metrics (in dev mode the API host has mapped them already, and they are kept).</summary>
    public static void Map(WebApplication app)
    {
        app.MapOpsDeskHealth();
        app.MapOpsDeskMetrics();
    }
}
