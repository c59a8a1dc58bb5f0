namespace OpsDesk.Workflows.Triage.Classifiers;

/// <summary>The text of a ticket as the classifier sees it (raw; remote providers redact PII first).</summary>
public sealed record TicketText(long TicketId, string Subject, string Description, string Source);
