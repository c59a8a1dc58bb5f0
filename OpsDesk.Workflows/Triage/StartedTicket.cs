namespace OpsDesk.Workflows.Triage;

/// <summary>The ticket as the workflow sees it after marking triage running: ids and states, no text.</summary>
public sealed record StartedTicket(long TicketId, string Source, string Status, string TriageStatus, string? Priority, string? Category);
