using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using OpsDesk.Tests.Support;
using OpsDesk.Workflows.Telemetry;

namespace OpsDesk.Tests.Workflows.Telemetry;

public sealed class TelemetrySettingsTests
{
    private static TelemetrySettings From(params (string Key, string Value)[] settings) =>
        TelemetrySettings.From(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build());

    [Test]
    public void Nothing_configured_turns_everything_off()
    {
        var s = From();
        Assert.That((s.Tracing, s.Metrics, s.Any, s.PrometheusEndpoint), Is.EqualTo((false, false, false, false)));
    }

    [Test]
    public void An_otlp_endpoint_exports_every_signal_by_otlp()
    {
        var s = From(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"));
        Assert.Multiple(() =>
        {
            Assert.That(s.Tracing && s.Metrics, Is.True);
            Assert.That(s.TraceExporters, Is.EquivalentTo(new[] { "otlp" }));
            Assert.That(s.MetricExporters, Is.EquivalentTo(new[] { "otlp" }));
            Assert.That(s.LogExporters, Is.EquivalentTo(new[] { "otlp" }));
            Assert.That(s.PrometheusEndpoint, Is.False);
        });
    }

    [Test]
    public void Exporter_lists_replace_the_default_and_none_turns_a_signal_off()
    {
        var s = From(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"), ("OTEL_TRACES_EXPORTER", "none"), ("OTEL_METRICS_EXPORTER", "Prometheus, otlp"));
        Assert.Multiple(() =>
        {
            Assert.That(s.Tracing, Is.False);
            Assert.That(s.MetricExporters, Is.EquivalentTo(new[] { "prometheus", "otlp" }));
            Assert.That(s.PrometheusEndpoint, Is.True);
        });
    }

    [Test]
    public void A_per_signal_endpoint_turns_on_that_signal_only()
    {
        var s = From(("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318/v1/traces"));
        Assert.That((s.Tracing, s.Metrics), Is.EqualTo((true, false)));
    }

    [Test]
    public void Sdk_disabled_wins_over_everything()
    {
        var s = From(("OTEL_SDK_DISABLED", "true"), ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"), ("Telemetry:Tracing", "true"));
        Assert.That(s.Any, Is.False);
    }

    [Test]
    public async Task With_nothing_configured_the_api_builds_no_tracer_or_meter_provider_and_maps_no_metrics()
    {
        await using var api = new ApiFactory();
        using var http = api.CreateClient();
        Assert.Multiple(async () =>
        {
            Assert.That(api.Services.GetService<TracerProvider>(), Is.Null);
            Assert.That(api.Services.GetService<MeterProvider>(), Is.Null);
            using var response = await http.GetAsync(TelemetryServiceCollectionExtensions.MetricsPath);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task With_prometheus_on_the_api_serves_metrics_without_credentials()
    {
        await using var api = new ApiFactory(new() { ["OTEL_METRICS_EXPORTER"] = "prometheus" });
        using var http = api.CreateAnonymousClient();
        using var response = await http.GetAsync(TelemetryServiceCollectionExtensions.MetricsPath);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(api.Services.GetService<TracerProvider>(), Is.Null, "metrics alone: no tracing");
    }

    [Test]
    public async Task Drop_metrics_leaves_out_the_instruments_and_meters_named_and_keeps_the_rest()
    {
        static async Task<string[]> Scrape(Dictionary<string, string?> settings)
        {
            await using var api = new ApiFactory(new(settings) { ["OTEL_METRICS_EXPORTER"] = "prometheus" });
            using var http = api.CreateAnonymousClient();
            // A request ASP.NET Core measures and a readiness check that runs SQL through Npgsql.
            using (var ready = await http.GetAsync("/health/ready"))
                Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            var text = await http.GetStringAsync(TelemetryServiceCollectionExtensions.MetricsPath);
            return text.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split('{', ' ')[0]).Distinct().ToArray();
        }

        var all = await Scrape([]);
        var dropped = await Scrape(new() { ["Telemetry:DropMetrics"] = " http.server.active_requests , Npgsql" });
        Assert.Multiple(() =>
        {
            Assert.That(all, Does.Contain("http_server_active_requests"));
            Assert.That(all.Where(n => n.StartsWith("db_client_", StringComparison.Ordinal)), Is.Not.Empty, "Npgsql's metrics without the setting");
            Assert.That(all.Where(n => n.Contains("npgsql_bytes", StringComparison.Ordinal)), Is.Empty, "the per-command byte counters are always dropped");
            Assert.That(dropped, Does.Not.Contain("http_server_active_requests"));
            Assert.That(dropped.Where(n => n.StartsWith("db_client_", StringComparison.Ordinal)), Is.Empty, "the Npgsql meter, dropped whole");
            Assert.That(dropped, Does.Contain("http_server_request_duration_seconds_bucket"), "the rest stays");
        });
    }
}
