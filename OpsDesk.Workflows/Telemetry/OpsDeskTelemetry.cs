using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OpsDesk.Workflows.Telemetry;

/// <summary>
/// OpsDesk's own trace source and meter, and the attribute names its spans and metrics share.
/// With no listener (telemetry off) starting a span returns null and recording a metric does
/// nothing, so code instruments unconditionally.
/// </summary>
public static class OpsDeskTelemetry
{
    /// <summary>The name of <see cref="Source"/> and <see cref="Meter"/>.</summary>
    public const string Name = "OpsDesk";

    /// <summary>The meter Temporal's SDK (core runtime) metrics are recorded on.</summary>
    public const string TemporalMeterName = "Temporalio";

    /// <summary>The ticket a span is about. Spans carry this id, never ticket text.</summary>
    public const string TicketIdTag = "opsdesk.ticket_id";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>A span context from a stored W3C traceparent; default when it is missing or malformed.</summary>
    public static ActivityContext ParentFrom(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, isRemote: true, out var context) ? context : default;
}
