using Microsoft.Extensions.Configuration;

namespace OpsDesk.Workflows.Telemetry;

/// <summary>
/// What telemetry a process emits, read from the standard <c>OTEL_*</c> variables. Nothing configured:
/// nothing on (no provider, no exporter; spans are never created and metrics never aggregated).
/// <list type="bullet">
/// <item><c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or a per-signal <c>OTEL_EXPORTER_OTLP_{TRACES,METRICS,LOGS}_ENDPOINT</c>): that signal exported by OTLP.</item>
/// <item><c>OTEL_TRACES_EXPORTER</c>, <c>OTEL_METRICS_EXPORTER</c>, <c>OTEL_LOGS_EXPORTER</c>: comma lists of
/// <c>otlp</c> and <c>none</c>, and for metrics <c>prometheus</c> (<c>/metrics</c>); when set they replace the default.</item>
/// <item><c>OTEL_SDK_DISABLED=true</c>: everything off.</item>
/// <item><c>Telemetry:Tracing</c> / <c>Telemetry:Metrics</c> (true/false): on or off whatever the above says
/// (on with no exporter is for an exporter added in code, as the tests do).</item>
/// </list>
/// </summary>
public sealed record TelemetrySettings(
    bool Tracing, IReadOnlySet<string> TraceExporters,
    bool Metrics, IReadOnlySet<string> MetricExporters,
    IReadOnlySet<string> LogExporters)
{
    public const string Otlp = "otlp";
    public const string Prometheus = "prometheus";

    public bool Any => Tracing || Metrics || LogExporters.Contains(Otlp);

    public bool PrometheusEndpoint => Metrics && MetricExporters.Contains(Prometheus);

    public static TelemetrySettings From(IConfiguration config)
    {
        if (string.Equals(config["OTEL_SDK_DISABLED"], "true", StringComparison.OrdinalIgnoreCase))
            return new TelemetrySettings(false, Empty, false, Empty, Empty);
        var endpoint = !string.IsNullOrWhiteSpace(config["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var traces = Exporters(config, "TRACES", endpoint);
        var metrics = Exporters(config, "METRICS", endpoint);
        var logs = Exporters(config, "LOGS", endpoint);
        return new TelemetrySettings(
            config.GetValue<bool?>("Telemetry:Tracing") ?? traces.Count > 0, traces,
            config.GetValue<bool?>("Telemetry:Metrics") ?? metrics.Count > 0, metrics,
            logs);
    }

    private static readonly IReadOnlySet<string> Empty = new HashSet<string>();

    private static HashSet<string> Exporters(IConfiguration config, string signal, bool sharedEndpoint)
    {
        var listed = config[$"OTEL_{signal}_EXPORTER"];
        if (listed is not null)
        {
            return listed.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(e => e.ToLowerInvariant())
                .Where(e => e != "none")
                .ToHashSet(StringComparer.Ordinal);
        }

        var ownEndpoint = !string.IsNullOrWhiteSpace(config[$"OTEL_EXPORTER_OTLP_{signal}_ENDPOINT"]);
        return sharedEndpoint || ownEndpoint ? [Otlp] : [];
    }
}
