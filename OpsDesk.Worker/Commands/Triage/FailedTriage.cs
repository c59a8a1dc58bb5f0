namespace OpsDesk.Worker.Commands.Triage;

/// <summary>One failed triage as <c>triage failed</c> lists it.</summary>
public sealed record FailedTriage(
    long TicketId,
    string? Subject,
    string? Reason,
    string? Message,
    int? Attempts,
    DateTime FailedAt,
    string WorkflowId,
    string? RunId,
    string Url);
