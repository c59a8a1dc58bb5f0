using System.CommandLine;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using OpsDesk.Api.Health;
using OpsDesk.Db;
using OpsDesk.Worker.Outbox;

namespace OpsDesk.Worker.Hosting;

/// <summary>The long-running worker process.</summary>
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
        builder.Services.AddOpsDeskDb();
        builder.Services.AddOutboxRelay();
    }

    public static void Map(WebApplication app)
    {
        // Dev mode runs the worker inside the API host, which already maps readiness.
        if (!((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>().Any(e => e.RoutePattern.RawText == "/health/ready"))
            app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = HealthResponse.WriteAsync });
    }
}
