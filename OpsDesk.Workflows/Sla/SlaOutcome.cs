namespace OpsDesk.Workflows.Sla;

/// <summary>Result of <c>SlaWorkflow</c>: how the SLA of a resolved or closed ticket ended.</summary>
/// <param name="Outcome">met or breached (the resolution target's, or the single target's).</param>
/// <param name="Priority">The priority in force at the end.</param>
/// <param name="DueAt">The deadline in force at the end.</param>
/// <param name="CompletedAt">When the workflow saw the ticket resolved or closed.</param>
/// <param name="Paused">Total paused time.</param>
/// <param name="FirstResponseOutcome">met or breached; null for a single-target clock.</param>
public sealed record SlaOutcome(long TicketId, string Outcome, string Priority, DateTime DueAt, DateTime CompletedAt, TimeSpan Paused, string? FirstResponseOutcome = null);
