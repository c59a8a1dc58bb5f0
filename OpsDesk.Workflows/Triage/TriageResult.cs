namespace OpsDesk.Workflows.Triage;

/// <summary>What a completed <c>TriageWorkflow</c> returns. No ticket text.</summary>
public sealed record TriageResult(long TicketId, string Category, string Priority, string Provider, double Confidence);
