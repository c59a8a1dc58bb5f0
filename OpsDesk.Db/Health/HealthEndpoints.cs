using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OpsDesk.Db.Health;

/// <summary>
/// The health endpoints of every OpsDesk process (API and worker), written once: <c>/health/live</c>
/// (the process answers; no checks) and <c>/health/ready</c> (every check tagged <see cref="ReadyTag"/>),
/// both answering <c>{status, checks: {name: {status, description}}}</c>.
/// </summary>
public static class HealthEndpoints
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";

    /// <summary>The tag of the checks readiness runs.</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Maps the live and ready endpoints, and <paramref name="readyAliases"/> as more paths for
    /// readiness, skipping any path already mapped: dev mode hosts the API and the worker in one
    /// process, and the API maps them first. <paramref name="configure"/> gets each endpoint mapped here.
    /// </summary>
    public static void MapOpsDeskHealth(this IEndpointRouteBuilder app, Action<IEndpointConventionBuilder>? configure = null, params string[] readyAliases)
    {
        var mapped = app.DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText).ToHashSet(StringComparer.Ordinal);
        void Map(string path, Func<HealthCheckRegistration, bool> predicate)
        {
            if (mapped.Contains(path))
                return;
            var endpoint = app.MapHealthChecks(path, new HealthCheckOptions { Predicate = predicate, ResponseWriter = WriteAsync });
            configure?.Invoke(endpoint);
        }

        Map(LivePath, _ => false);
        foreach (var path in (string[])[ReadyPath, .. readyAliases])
            Map(path, c => c.Tags.Contains(ReadyTag));
    }

    /// <summary>Writes a health report as <c>{status, checks: {name: {status, description}}}</c>; not healthy adds Retry-After.</summary>
    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        if (report.Status != HealthStatus.Healthy)
            context.Response.Headers.RetryAfter = "5";
        await using var w = new Utf8JsonWriter(context.Response.Body);
        w.WriteStartObject();
        w.WriteString("status", report.Status.ToString());
        w.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries)
        {
            w.WriteStartObject(name);
            w.WriteString("status", entry.Status.ToString());
            w.WriteString("description", entry.Description);
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteEndObject();
        await w.FlushAsync(context.RequestAborted);
    }
}
