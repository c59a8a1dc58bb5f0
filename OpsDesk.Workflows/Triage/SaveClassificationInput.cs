using OpsDesk.Workflows.Kb;
using OpsDesk.Workflows.Triage.Classifiers;

namespace OpsDesk.Workflows.Triage;

/// <summary>Input of the save activity. <paramref name="Citations"/>: the articles retrieved for the ticket (null in histories from before retrieval).</summary>
public sealed record SaveClassificationInput(long TicketId, Classification Classification, IReadOnlyList<KbCitation>? Citations = null);
