namespace OpsDesk.Workflows.Sla;

/// <summary>
/// What an <c>SlaWorkflow</c> carries across continue-as-new. The SLA team owns its members;
/// add what the clock needs (priority, paused time, pause start, warning emitted, applied event ids).
/// </summary>
public sealed record SlaCarriedState;
