using OpsDesk.Db.Tickets;

namespace OpsDesk.Workflows.Sla;

/// <summary>
/// The SLA rules one workflow runs on, read from configuration by the load activity and carried in
/// history (and across continue-as-new), so a configuration change never alters a running clock's
/// replay. Keys of <see cref="Targets"/> are P0–P3.
/// </summary>
public sealed record SlaPolicy(
    IReadOnlyDictionary<string, TimeSpan> Targets,
    double WarningFraction,
    string DefaultPriority,
    int ContinueAsNewAfterChanges)
{
    /// <summary>The built-in defaults (the same as <see cref="SlaOptions"/>'s).</summary>
    public static SlaPolicy Default { get; } = new SlaOptions().ToPolicy();

    /// <summary>The target of a priority; an unknown or missing one falls back to <see cref="DefaultPriority"/>.</summary>
    public TimeSpan TargetFor(string? priority) =>
        priority is not null && Targets.TryGetValue(priority, out var target) ? target : Targets[DefaultPriority];

    /// <summary>The priority the clock uses: the ticket's, or the default when it has none (or a value the policy does not know).</summary>
    public string Effective(string? priority) =>
        Priorities.IsValid(priority) && Targets.ContainsKey(priority!) ? priority! : DefaultPriority;
}
