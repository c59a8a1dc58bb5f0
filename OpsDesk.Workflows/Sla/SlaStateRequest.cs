using OpsDesk.Db.Sla;

namespace OpsDesk.Workflows.Sla;

/// <summary>
/// Input of <see cref="SlaActivities.SaveStateAsync"/>: the ticket's SLA columns, with no timeline event.
/// A single-target clock sends only the first four (its one target); a two-target clock also <see cref="Columns"/>.
/// </summary>
public sealed record SlaStateRequest(long TicketId, DateTime DueAt, DateTime WarningAt, string State, SlaColumns? Columns = null)
{
    /// <summary>The columns to write: <see cref="Columns"/>, or the single target's.</summary>
    public SlaColumns ColumnsToWrite() => Columns ?? SlaColumns.SingleTarget(new(DueAt, WarningAt, State));
}
