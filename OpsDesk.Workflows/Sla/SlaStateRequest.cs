namespace OpsDesk.Workflows.Sla;

/// <summary>Input of <see cref="SlaActivities.SaveStateAsync"/>: the ticket's SLA columns, with no timeline event.</summary>
public sealed record SlaStateRequest(long TicketId, DateTime DueAt, DateTime WarningAt, string State);
