using OpsDesk.Workflows.Triage.Classifiers;

namespace OpsDesk.Workflows.Triage;

/// <summary>Input of the save activity.</summary>
public sealed record SaveClassificationInput(long TicketId, Classification Classification);
