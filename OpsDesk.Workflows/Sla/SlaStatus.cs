using OpsDesk.Db.Sla;

namespace OpsDesk.Workflows.Sla;

/// <summary>
/// Answer of the <c>Status</c> query of <c>SlaWorkflow</c>. <see cref="DueAt"/>, <see cref="WarningAt"/> and
/// <see cref="State"/> are the summary (what <c>sla_due_at</c>, <c>sla_warning_at</c>, <c>sla_state</c> hold);
/// <see cref="State"/> is one of running, warned, breached, paused, completed (or starting, before the ticket
/// has been read). <see cref="Paused"/>: the resolution (or single) clock is paused. <see cref="Columns"/>
/// has both targets of a two-target clock.
/// </summary>
public sealed record SlaStatus(string? Priority, DateTime? DueAt, DateTime? WarningAt, bool Paused, string State, SlaColumns? Columns = null);
