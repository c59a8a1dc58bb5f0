using System.CommandLine;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using OpsDesk.Api.Health;
using OpsDesk.Db;
using OpsDesk.Worker.Outbox;
using OpsDesk.Worker.Sla;
using OpsDesk.Worker.Triage;
using OpsDesk.Workflows;
using OpsDesk.Workflows.Sla;
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
        Configure(builder);
        var app = builder.Build();
        Map(app);
        await app.RunAsync(ct);
        return 0;
    }

    /// <summary>The worker's services; dev mode adds them to the API's host.</summary>
    public static void Configure(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOpsDeskDb();
        services.AddTicketClassifiers();
        services.AddTriageStarting();
        services.AddSingleton<WorkerStatus>();

        var taskQueue = builder.Configuration[$"{TemporalOptions.Section}:TaskQueue"] ?? TaskQueues.Default;
        var worker = new TemporalWorkerServiceOptionsBuilder(taskQueue, services)
            .AddScopedActivities<TriageActivities>()
            .AddWorkflow<TriageWorkflow>()
            .AddSingletonActivities<SlaActivities>()
            .AddWorkflow<SlaWorkflow>();
        services.AddSingleton(new TemporalWorkerRegistration(worker.ConfigureOptions().Name));
        services.AddHostedService<TemporalWorkerRunner>();
        services.AddHostedService<TriageReconciler>();
        services.AddSlaDispatcher();

        services.AddOutboxRelay();

        services.AddDatabaseHealthCheck();
        services.AddHealthChecks().AddCheck<TemporalHealthCheck>("temporal", tags: ["ready"]);
    }

    public static void Map(WebApplication app)
    {
        // Dev mode runs the worker inside the API host, which already maps the health endpoints.
        var mapped = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText).ToHashSet(StringComparer.Ordinal);
        if (!mapped.Contains("/health/live"))
            app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthResponse.WriteAsync });
        if (!mapped.Contains("/health/ready"))
            app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = HealthResponse.WriteAsync });
    }
}
