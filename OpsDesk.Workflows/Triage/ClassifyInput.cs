using OpsDesk.Workflows.Kb;

namespace OpsDesk.Workflows.Triage;

/// <summary>Input of the classify activity when articles were retrieved first (remote providers see their snippets).</summary>
public sealed record ClassifyInput(long TicketId, IReadOnlyList<KbCitation> Articles);
