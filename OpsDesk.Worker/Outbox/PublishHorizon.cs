using OpsDesk.Db.Outbox;

namespace OpsDesk.Worker.Outbox;

/// <summary>
/// Decides up to which event id the relay may publish without a later commit landing below it.
/// Ids are drawn at INSERT but become visible at COMMIT, so event 11 can be visible while event 10
/// (same ticket, perhaps) is still in flight. A probe at max id M with open writers W is a
/// checkpoint: once every writer in W has ended, no id at or below M can still appear, and M is
/// settled. With no open writers, M is settled at once.
/// </summary>
public sealed class PublishHorizon
{
    private readonly List<(long MaxId, HashSet<string> Writers)> pending = [];

    /// <summary>Every event with an id at or below this is committed or never will be.</summary>
    public long Settled { get; private set; }

    /// <summary>A checkpoint waits for open writers: probe again soon rather than at the poll interval.</summary>
    public bool HasPending => pending.Count > 0;

    public long Advance(HorizonProbe probe)
    {
        var open = probe.Writers as IReadOnlySet<string> ?? probe.Writers.ToHashSet(StringComparer.Ordinal);
        pending.RemoveAll(c =>
        {
            if (c.Writers.Overlaps(open))
                return false;
            Settled = Math.Max(Settled, c.MaxId);
            return true;
        });

        if (open.Count == 0)
        {
            Settled = Math.Max(Settled, probe.MaxId);
            pending.Clear();
        }
        else if (probe.MaxId > Settled)
        {
            var index = pending.FindIndex(c => c.MaxId == probe.MaxId);
            if (index >= 0)
            {
                // Both sets are valid witnesses for the same id; a writer that matters is in both.
                pending[index].Writers.IntersectWith(open);
            }
            else
            {
                pending.Add((probe.MaxId, new HashSet<string>(open, StringComparer.Ordinal)));
            }
        }

        return Settled;
    }
}
