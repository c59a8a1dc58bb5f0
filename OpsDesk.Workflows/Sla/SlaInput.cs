namespace OpsDesk.Workflows.Sla;

/// <summary>
/// Input of <c>SlaWorkflow</c> (id <c>sla-{ticketId}</c>). Started by <c>TriageWorkflow</c> as an
/// abandoned child once triage is saved or has failed.
/// </summary>
/// <param name="TicketId">The ticket the clock watches.</param>
/// <param name="State">Carried state when the workflow continues as new; null on first start.</param>
public sealed record SlaInput(long TicketId, SlaCarriedState? State = null);
