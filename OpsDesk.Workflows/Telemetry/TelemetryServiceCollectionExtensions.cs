using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace OpsDesk.Workflows.Telemetry;

/// <summary>OpenTelemetry for the API and the worker, registered and mapped here once (<see cref="TelemetrySettings"/>).</summary>
public static class TelemetryServiceCollectionExtensions
{
    /// <summary>Where Prometheus scrapes, on the API and the worker (when <c>OTEL_METRICS_EXPORTER</c> names prometheus).</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>Paths that are not worth a span (probes and scrapes).</summary>
    private static readonly string[] Unsampled = ["/health", MetricsPath];

    /// <summary>Instruments not worth their cost per request (see the metrics registration).</summary>
    private static readonly string[] DroppedInstruments =
        ["db.client.operation.npgsql.bytes_read", "db.client.operation.npgsql.bytes_written", "db.client.operation.npgsql.executing"];

    /// <summary>A view that drops the instruments named, or all of a meter named, in <paramref name="names"/>.</summary>
    private static Func<Instrument, MetricStreamConfiguration?> Dropping(HashSet<string> names) =>
        instrument => names.Contains(instrument.Name) || names.Contains(instrument.Meter.Name) ? MetricStreamConfiguration.Drop : null;

    /// <summary>http.server.request.duration and active requests; Kestrel's connections; unhandled exceptions.</summary>
    private static readonly string[] AspNetCoreMeters = ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Diagnostics"];

    /// <summary>
    /// Traces (OpsDesk, Temporal, ASP.NET Core, HttpClient, Npgsql), metrics (OpsDesk, Temporal SDK,
    /// ASP.NET Core, HttpClient, Npgsql, runtime) and logs, each on only when configured. Log records
    /// carry TraceId and SpanId as scopes either way.
    /// </summary>
    /// <param name="serviceName">service.name unless <c>OTEL_SERVICE_NAME</c> says otherwise.</param>
    public static IHostApplicationBuilder AddOpsDeskTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        // Dev mode hosts the API and the worker in one process: the first registration serves both.
        if (builder.Services.Any(d => d.ServiceType == typeof(TelemetrySettings)))
            return builder;
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        var settings = TelemetrySettings.From(builder.Configuration);
        builder.Services.AddSingleton(settings);
        if (!settings.Any)
            return builder;

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? serviceName));
        if (settings.Tracing)
        {
            otel.WithTracing(t =>
            {
                t.AddSource(OpsDeskTelemetry.Name)
                    .AddAspNetCoreInstrumentation(o => o.Filter = http => !Unsampled.Any(p => http.Request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)))
                    .AddHttpClientInstrumentation()
                    // SQL text with its $n placeholders; parameter values are never recorded.
                    .AddNpgsql();
                if (settings.TraceExporters.Contains(TelemetrySettings.Otlp))
                    t.AddOtlpExporter();
            });
        }

        if (settings.Metrics)
        {
            // One Temporal core runtime per process, recording the SDK's metrics on our meter provider.
            if (builder.Configuration.GetValue("Telemetry:TemporalSdkMetrics", true))
                builder.Services.AddSingleton(_ => TemporalTelemetryRuntime.Instance);
            // Telemetry:DropMetrics: instruments or whole meters an operator does not want (comma list of names).
            var dropped = (builder.Configuration["Telemetry:DropMetrics"] ?? "")
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Concat(DroppedInstruments).ToHashSet(StringComparer.Ordinal);
            otel.WithMetrics(m =>
            {
                m.AddMeter(OpsDeskTelemetry.Name, OpsDeskTelemetry.TemporalMeterName)
                    // ASP.NET Core's request, connection and exception metrics, not every meter it has
                    // (AddAspNetCoreInstrumentation also takes routing, rate limiting, authentication,
                    // authorization and memory-pool meters: several more measurements per request).
                    .AddMeter(AspNetCoreMeters)
                    .AddHttpClientInstrumentation()
                    .AddNpgsqlInstrumentation()
                    // Npgsql's per-command byte counters and in-flight gauge: four measurements per command
                    // (each aggregated once per reader, OTLP and Prometheus) for little an operator alerts
                    // on; its operation duration, failures and connection metrics stay.
                    .AddView(Dropping(dropped))
                    .AddRuntimeInstrumentation();
                if (settings.MetricExporters.Contains(TelemetrySettings.Otlp))
                    m.AddOtlpExporter();
                if (settings.PrometheusEndpoint)
                    m.AddPrometheusExporter();
            });
        }

        if (settings.LogExporters.Contains(TelemetrySettings.Otlp))
        {
            otel.WithLogging(l => l.AddOtlpExporter(), o => o.IncludeScopes = true);
        }

        return builder;
    }

    /// <summary>Maps <see cref="MetricsPath"/> when Prometheus export is on; <paramref name="configure"/> gets the endpoint (the API opens it to anonymous scrapers).</summary>
    public static void MapOpsDeskMetrics(this IEndpointRouteBuilder app, Action<IEndpointConventionBuilder>? configure = null)
    {
        if (app.ServiceProvider.GetService<TelemetrySettings>() is not { PrometheusEndpoint: true })
            return;
        var mapped = app.DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Any(e => string.Equals(e.RoutePattern.RawText, MetricsPath, StringComparison.OrdinalIgnoreCase));
        // Dev mode hosts the API and the worker in one process: the API maps it first.
        if (mapped)
            return;
        var endpoint = app.MapPrometheusScrapingEndpoint(MetricsPath).ExcludeFromDescription();
        configure?.Invoke(endpoint);
    }
}
