using System.Globalization;
using OpsDesk.Db;
using OpsDesk.Db.Sla;

namespace OpsDesk.Workflows.Sla;

/// <summary>
/// Dedupe keys of SLA events (unique per ticket and type, so a retried write adds no row): <c>warning</c>,
/// <c>breached</c>, <c>completed</c>, <c>recalculated:N</c> for a single-target clock; a two-target clock
/// appends the target (<c>warning:first_response</c>, <c>recalculated:2:resolution</c>).
/// </summary>
public static class SlaDedupeKeys
{
    public static string For(string key, SlaTarget? target) => target is { } t ? key + ":" + WireNames.Of(t) : key;

    /// <summary>Reads a <c>type:dedupe_key</c> string (as the snapshot lists them): the type, the target (null: single target) and the recalculation cycle (0 if none).</summary>
    public static (string Type, SlaTarget? Target, int Cycle) Parse(string typeAndKey)
    {
        var parts = typeAndKey.Split(':');
        SlaTarget? target = null;
        var cycle = 0;
        foreach (var part in parts.Skip(1))
        {
            if (WireNames.TryParse<SlaTarget>(part, out var t))
                target = t;
            else if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                cycle = n;
        }

        return (parts[0], target, cycle);
    }
}
