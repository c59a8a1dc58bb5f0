using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OpsDesk.Api.Health;

/// <summary>Writes a health report as <c>{status, checks: {name: {status, description}}}</c>.</summary>
public static class HealthResponse
{
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
