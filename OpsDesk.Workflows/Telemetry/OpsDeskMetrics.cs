using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OpsDesk.Workflows.Telemetry;

/// <summary>
/// The metrics an operator alerts on (meter <see cref="OpsDeskTelemetry.Name"/>). Counters count
/// when the work is done: an activity retried after its first attempt committed counts again.
/// Outbox gauges are read from the database by the worker (<c>OutboxMetricsSampler</c>).
/// </summary>
public static class OpsDeskMetrics
{
    private static readonly Counter<long> TicketsCreated = OpsDeskTelemetry.Meter.CreateCounter<long>(
        "opsdesk.tickets.created", "{ticket}", "Tickets created (replays of an idempotency key not counted), by source.");

    private static readonly Histogram<double> TriageDuration = OpsDeskTelemetry.Meter.CreateHistogram<double>(
        "opsdesk.triage.duration", "s", "From the ticket's creation to its triage outcome, by provider and outcome (classified, failed).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900] });

    private static readonly Counter<long> ClassifyFailures = OpsDeskTelemetry.Meter.CreateCounter<long>(
        "opsdesk.classify.failures", "{failure}", "Failed classifier calls, by provider, reason and whether permanent.");

    private static readonly Counter<long> SlaWarnings = OpsDeskTelemetry.Meter.CreateCounter<long>(
        "opsdesk.sla.warnings", "{warning}", "SLA warnings recorded, by target and priority.");

    private static readonly Counter<long> SlaBreaches = OpsDeskTelemetry.Meter.CreateCounter<long>(
        "opsdesk.sla.breaches", "{breach}", "SLA breaches recorded, by target and priority.");

    private static readonly Counter<long> ReconcilerStarts = OpsDeskTelemetry.Meter.CreateCounter<long>(
        "opsdesk.reconciler.starts", "{workflow}", "Triage workflows the reconciler started for tickets left queued.");

    public static void TicketCreated(string source) => TicketsCreated.Add(1, new KeyValuePair<string, object?>("source", source));

    public static void TriageFinished(string provider, string outcome, TimeSpan sinceCreated) =>
        TriageDuration.Record(sinceCreated.TotalSeconds, new TagList { { "provider", provider }, { "outcome", outcome } });

    public static void ClassifyFailed(string provider, string reason, bool permanent) =>
        ClassifyFailures.Add(1, new TagList { { "provider", provider }, { "reason", reason }, { "permanent", permanent } });

    public static void SlaWarning(string target, string priority) =>
        SlaWarnings.Add(1, new TagList { { "target", target }, { "priority", priority } });

    public static void SlaBreach(string target, string priority) =>
        SlaBreaches.Add(1, new TagList { { "target", target }, { "priority", priority } });

    public static void ReconcilerStarted() => ReconcilerStarts.Add(1);
}
