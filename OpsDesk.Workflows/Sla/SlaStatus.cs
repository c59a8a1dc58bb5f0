namespace OpsDesk.Workflows.Sla;

/// <summary>
/// Answer of the <c>Status</c> query of <c>SlaWorkflow</c>. <see cref="State"/> is one of running,
/// warned, breached, paused, completed (or starting, before the ticket has been read).
/// </summary>
public sealed record SlaStatus(string? Priority, DateTime? DueAt, DateTime? WarningAt, bool Paused, string State);
