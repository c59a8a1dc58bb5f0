using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using OpsDesk.Api.Health;
using OpsDesk.Api.Http;
using OpsDesk.Api.Kb;
using OpsDesk.Api.OpenApi;
using OpsDesk.Api.Security;
using OpsDesk.Api.Tickets;
using OpsDesk.Api.Web;
using OpsDesk.Db;
using OpsDesk.Db.Health;
using OpsDesk.Workflows;
using OpsDesk.Workflows.Kb;
using OpsDesk.Workflows.Telemetry;
using Scalar.AspNetCore;

namespace OpsDesk.Api;

/// <summary>The API's services and pipeline, shared by <c>Program</c> and the worker's dev mode.</summary>
public static class ApiComposition
{
    /// <summary>The API's service.name in traces and metrics (unless <c>OTEL_SERVICE_NAME</c> is set).</summary>
    public const string ServiceName = "opsdesk-api";

    public static WebApplicationBuilder AddOpsDeskApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddOpsDeskTelemetry(ServiceName);
        services.AddOpsDeskDb();
        services.AddTriageStartQueue();
        services.AddKnowledgeBase();

        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        });
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            ctx.ProblemDetails.Instance ??= ctx.HttpContext.Request.Path;
            ctx.ProblemDetails.Extensions["traceId"] = ctx.HttpContext.TraceIdentifier;
        });
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddOpsDeskOpenApi();
        services.AddDatabaseHealthCheck();
        services.AddHealthChecks().AddCheck<TriageStartQueueHealthCheck>(TriageStartQueueHealthCheck.Name, tags: [HealthEndpoints.ReadyTag]);
        services.AddSingleton<TicketCreator>();
        builder.AddOpsDeskSecurity();
        builder.AddOpsDeskWeb();
        return builder;
    }

    public static WebApplication UseOpsDeskApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        // Empty 4xx answers from routing (404, 405) and the framework become problem details.
        app.UseStatusCodePages();
        app.UseOpsDeskSecurity();

        app.MapOpenApi().WithDocsAccess(app);
        app.MapScalarApiReference(SecurityHeaders.DocsPath, o => o.WithTitle("OpsDesk API").DisableDefaultFonts()).WithDocsAccess(app);

        app.MapTicketEndpoints();
        app.MapKbEndpoints();
        // The console and the portal: after authentication and authorization (antiforgery needs both).
        app.UseOpsDeskWeb();
        // /health: readiness under its older, shorter path.
        app.MapOpsDeskHealth(endpoint => endpoint.WithOpenAccess(), "/health");
        // Prometheus scrapes without credentials, as it does health; metrics carry no ticket data.
        app.MapOpsDeskMetrics(endpoint => endpoint.WithOpenAccess());
        return app;
    }
}
