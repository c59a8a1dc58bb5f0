namespace OpsDesk.Workflows.Triage;

/// <summary>Input of the failure-recording activity.</summary>
public sealed record RecordFailureInput(long TicketId, string Reason, string Message, int Attempts);
