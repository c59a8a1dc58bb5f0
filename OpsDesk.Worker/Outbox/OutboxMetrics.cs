using System.Diagnostics.Metrics;
using OpsDesk.Db.Outbox;
using OpsDesk.Db.Resilience;
using OpsDesk.Workflows.Telemetry;

namespace OpsDesk.Worker.Outbox;

/// <summary>
/// The outbox gauges (meter <see cref="OpsDeskTelemetry.Name"/>), read from the database when metrics
/// are collected — on a scrape or an export, never in between; one query serves all three within a
/// second. Exists only while metrics are on (<see cref="OutboxServiceCollectionExtensions"/>).
/// </summary>
public sealed class OutboxMetrics : IDisposable
{
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(1);

    private readonly OutboxStore store;
    private readonly TimeProvider time;
    private readonly Meter meter = new(OpsDeskTelemetry.Name);
    private readonly Lock gate = new();
    private (OutboxGauges Gauges, DateTimeOffset At)? last;

    public OutboxMetrics(OutboxStore store, TimeProvider time)
    {
        this.store = store;
        this.time = time;
        meter.CreateObservableGauge("opsdesk.outbox.lag", () => Observe(g => g.OldestAgeSeconds), "s",
            "Age of the oldest event the relay has not published yet (parked ones left out); 0 when none waits.");
        meter.CreateObservableGauge("opsdesk.outbox.backlog", () => Observe(g => g.Backlog), "{event}",
            "Events not yet published to Kafka, parked ones included.");
        meter.CreateObservableGauge("opsdesk.outbox.parked", () => Observe(g => g.Parked), "{event}",
            "Events parked as poison (events parked/skipped/requeued with opsdesk events parked).");
    }

    private IEnumerable<Measurement<T>> Observe<T>(Func<OutboxGauges, T> pick)
        where T : struct
    {
        if (Read() is { } gauges)
            yield return new Measurement<T>(pick(gauges));
    }

    private OutboxGauges? Read()
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            if (last is { } cached && now - cached.At < Fresh)
                return cached.Gauges;
            try
            {
                var gauges = store.ReadGauges();
                last = (gauges, now);
                return gauges;
            }
            catch (Exception ex) when (DbErrors.IsDatabaseFailure(ex))
            {
                // No value rather than a stale one: the series has a gap while the database is away.
                return null;
            }
        }
    }

    public void Dispose() => meter.Dispose();
}
