using Temporalio.Runtime;

namespace OpsDesk.Workflows.Telemetry;

/// <summary>The process's Temporal core runtime when metrics are on: the SDK's metrics go to <see cref="TemporalMetricMeter"/>.</summary>
public static class TemporalTelemetryRuntime
{
    private static readonly Lazy<TemporalRuntime> Runtime = new(() => new TemporalRuntime(new TemporalRuntimeOptions
    {
        Telemetry = new TelemetryOptions
        {
            Metrics = new MetricsOptions
            {
                CustomMetricMeter = new TemporalMetricMeter(new System.Diagnostics.Metrics.Meter(OpsDeskTelemetry.TemporalMeterName)),
                CustomMetricMeterOptions = TemporalMetricMeter.Options,
            },
        },
    }));

    public static TemporalRuntime Instance => Runtime.Value;
}
