namespace OpsDesk.Db.Agents;

/// <summary>A key cannot belong to the agent asked for: unknown, deactivated, or of another role. The message says which.</summary>
public sealed class AgentUnavailableException(string message) : InvalidOperationException(message);
