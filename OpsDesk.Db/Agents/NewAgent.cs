namespace OpsDesk.Db.Agents;

/// <summary>A validated agent to create.</summary>
/// <param name="Role">agent or admin.</param>
/// <param name="JwtSubject">The JWT <c>sub</c> claim that signs in as this agent, if any.</param>
public sealed record NewAgent(string Name, string? Email, string Role, string? JwtSubject);
