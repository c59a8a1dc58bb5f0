using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Temporalio.Runtime;

namespace OpsDesk.Workflows.Telemetry;

/// <summary>
/// Records the Temporal SDK's own metrics (core runtime: polls, task latencies, slots, requests) on
/// the .NET meter <see cref="OpsDeskTelemetry.TemporalMeterName"/>, so the process's MeterProvider
/// exports them beside OpsDesk's. Durations arrive as float seconds (see <see cref="Options"/>).
/// </summary>
public sealed class TemporalMetricMeter(Meter meter) : ICustomMetricMeter
{
    /// <summary>How the runtime must be told to hand over durations for this meter.</summary>
    public static CustomMetricMeterOptions Options => new() { HistogramDurationFormat = CustomMetricMeterOptions.DurationFormat.FloatSeconds };

    public ICustomMetricCounter<T> CreateCounter<T>(string name, string? unit, string? description)
        where T : struct => new CounterMetric<T>(meter.CreateCounter<T>(name, unit, description));

    public ICustomMetricHistogram<T> CreateHistogram<T>(string name, string? unit, string? description)
        where T : struct => new HistogramMetric<T>(meter.CreateHistogram<T>(name, unit == "duration" ? "s" : unit, description));

    public ICustomMetricGauge<T> CreateGauge<T>(string name, string? unit, string? description)
        where T : struct
    {
        var gauge = new GaugeMetric<T>();
        meter.CreateObservableGauge(name, gauge.Observe, unit, description);
        return gauge;
    }

    public object CreateTags(object? appendFrom, IReadOnlyCollection<KeyValuePair<string, object>> tags) => Tags.Of(appendFrom as Tags, tags);

    /// <summary>
    /// An immutable tag set. The SDK makes one per call of some RPCs, so it is built as cheaply as it can
    /// be: the pairs as given (a parent's first), its <see cref="TagList"/> once; the key by which a
    /// gauge tells its series apart only when a gauge asks.
    /// </summary>
    private sealed class Tags : IEquatable<Tags>
    {
        private readonly KeyValuePair<string, object?>[] pairs;
        private string? key;

        private Tags(KeyValuePair<string, object?>[] pairs)
        {
            this.pairs = pairs;
            List = new TagList(pairs);
        }

        public TagList List { get; }

        private string Key => key ??= string.Join('\u001f', pairs.Select(p => p.Key + "=" + p.Value).Order(StringComparer.Ordinal));

        public static Tags Of(Tags? parent, IReadOnlyCollection<KeyValuePair<string, object>> added)
        {
            var inherited = parent?.pairs ?? [];
            var all = new KeyValuePair<string, object?>[inherited.Length + added.Count];
            inherited.CopyTo(all, 0);
            var i = inherited.Length;
            foreach (var (k, v) in added)
                all[i++] = new(k, v);
            return new Tags(all);
        }

        public bool Equals(Tags? other) => other is not null && Key == other.Key;

        public override bool Equals(object? obj) => Equals(obj as Tags);

        public override int GetHashCode() => Key.GetHashCode(StringComparison.Ordinal);
    }

    private sealed class CounterMetric<T>(Counter<T> counter) : ICustomMetricCounter<T>
        where T : struct
    {
        public void Add(T value, object tags) => counter.Add(value, ((Tags)tags).List);
    }

    private sealed class HistogramMetric<T>(Histogram<T> histogram) : ICustomMetricHistogram<T>
        where T : struct
    {
        public void Record(T value, object tags) => histogram.Record(value, ((Tags)tags).List);
    }

    private sealed class GaugeMetric<T> : ICustomMetricGauge<T>
        where T : struct
    {
        private readonly ConcurrentDictionary<Tags, T> last = new();

        public void Set(T value, object tags) => last[(Tags)tags] = value;

        public List<Measurement<T>> Observe() => last.Select(p => new Measurement<T>(p.Value, p.Key.List)).ToList();
    }
}
