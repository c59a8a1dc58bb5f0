using System.Collections.ObjectModel;
using System.Diagnostics;

namespace OpsDesk.Tests.Support;

/// <summary>The collection an in-memory span exporter fills, safe to read while the exporter's thread adds to it.</summary>
public sealed class SpanList : Collection<Activity>
{
    private readonly Lock gate = new();

    public IReadOnlyList<Activity> Snapshot()
    {
        lock (gate)
            return [.. Items];
    }

    protected override void InsertItem(int index, Activity item)
    {
        lock (gate)
            base.InsertItem(index, item);
    }
}
