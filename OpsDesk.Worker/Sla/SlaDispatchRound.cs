namespace OpsDesk.Worker.Sla;

/// <summary>What one dispatcher round did.</summary>
/// <param name="Delivered">Changes signalled to a running SLA workflow.</param>
/// <param name="NoWorkflow">Changes recorded as processed because no SLA workflow was running.</param>
/// <param name="Read">Changes read this round; a full batch means more may be waiting.</param>
/// <param name="Failed">The round stopped because Temporal could not be reached; the rest waits for the next round.</param>
public sealed record SlaDispatchRound(int Delivered, int NoWorkflow, int Read, bool Failed);
