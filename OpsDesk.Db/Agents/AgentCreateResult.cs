namespace OpsDesk.Db.Agents;

/// <summary>What <see cref="AgentRepository.CreateAsync"/> did.</summary>
public enum AgentCreateOutcome
{
    Created,

    /// <summary>An agent of that name with the same email, role and JWT subject existed: it is returned (a retried create).</summary>
    Existing,

    /// <summary>The name (or the JWT subject) belongs to a different agent: nothing was written.</summary>
    Conflict,
}

/// <summary>The outcome and the agent it concerns (for a conflict: the one holding the name or subject).</summary>
public sealed record AgentCreateResult(AgentCreateOutcome Outcome, AgentRow Agent);
