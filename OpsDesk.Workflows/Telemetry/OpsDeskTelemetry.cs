using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

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

    private static readonly AsyncLocal<ActivityContext> Continued = new();

    /// <summary>
    /// The span that work carried off its request (a queued triage start) continues: the parent of the
    /// next span started here when no span is current. Costs no span of its own.
    /// </summary>
    public static ActivityContext ContinuedTrace => Activity.Current is null ? Continued.Value : default;

    /// <summary>Runs <paramref name="work"/> as a continuation of <paramref name="trace"/> (see <see cref="ContinuedTrace"/>).</summary>
    public static Task<T> ContinueTraceAsync<T>(ActivityContext trace, Func<Task<T>> work) =>
        trace == default ? work() : ContinuedAsync(trace, work);

    private static async Task<T> ContinuedAsync<T>(ActivityContext trace, Func<Task<T>> work)
    {
        // Set inside this async method, the value flows into work and is gone when it returns.
        Continued.Value = trace;
        return await work();
    }

    /// <summary>
    /// A log scope naming the continued trace (<c>TraceId</c>, and its span as <c>ParentId</c>) for a log
    /// written where no span is current but a trace is continued; null otherwise (the logger's own
    /// activity tracking then applies).
    /// </summary>
    public static IDisposable? ContinuedTraceLogScope(ILogger logger) =>
        ContinuedTrace is { TraceId: var traceId, SpanId: var spanId } continued && continued != default
            ? logger.BeginScope(new Dictionary<string, object> { ["TraceId"] = traceId.ToHexString(), ["ParentId"] = spanId.ToHexString() })
            : null;

    /// <summary>A span context from a stored W3C traceparent; default when it is missing or malformed.</summary>
    public static ActivityContext ParentFrom(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, isRemote: true, out var context) ? context : default;
}
