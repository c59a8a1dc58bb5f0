namespace OpsDesk.Workflows.Sla;

/// <summary>
/// Signal of <c>SlaWorkflow</c>: an agent's change read from the timeline, delivered at least
/// once by the worker's dispatcher. The workflow ignores an <see cref="EventId"/> it already applied.
/// </summary>
/// <param name="EventId">The <c>ticket_events</c> id of the change.</param>
/// <param name="Kind"><c>status</c>, <c>priority</c> or <c>reply</c> (<see cref="SlaChangeKinds"/>).</param>
/// <param name="Value">The new status (open, pending, resolved, closed), priority (P0–P3), or the reply's author kind (agent).</param>
public sealed record SlaChange(long EventId, string Kind, string Value);
