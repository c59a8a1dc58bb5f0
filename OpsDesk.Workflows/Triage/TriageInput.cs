namespace OpsDesk.Workflows.Triage;

/// <summary>Input of <c>TriageWorkflow</c>. Only ids: the ticket text is read by an activity, never kept in history.</summary>
public sealed record TriageInput(long TicketId, string Source);
