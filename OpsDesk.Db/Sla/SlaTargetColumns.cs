namespace OpsDesk.Db.Sla;

/// <summary>One SLA target's deadline, warning time and state (<see cref="SlaStates"/>), as a ticket's columns hold it.</summary>
public sealed record SlaTargetColumns(DateTime DueAt, DateTime WarningAt, string State);
