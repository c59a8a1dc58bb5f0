using OpsDesk.Db.Tickets;

namespace OpsDesk.Workflows.Sla;

/// <summary>
/// The SLA rules one workflow runs on, read from configuration by the load activity and carried in
/// history (and across continue-as-new), so a configuration change never alters a running clock's
/// replay. Keys of the targets are P0–P3.
/// </summary>
/// <param name="Targets">Resolution targets. In a policy of a single-target clock (started before #16, without
/// <paramref name="FirstResponseTargets"/>) the one target, which also ran until resolution.</param>
/// <param name="FirstResponseTargets">First-response targets; null in a single-target clock's policy.</param>
public sealed record SlaPolicy(
    IReadOnlyDictionary<string, TimeSpan> Targets,
    double WarningFraction,
    string DefaultPriority,
    int ContinueAsNewAfterChanges,
    IReadOnlyDictionary<string, TimeSpan>? FirstResponseTargets = null)
{
    /// <summary>The built-in defaults (the same as <see cref="SlaOptions"/>'s).</summary>
    public static SlaPolicy Default { get; } = new SlaOptions().ToPolicy();

    /// <summary>The resolution target of a priority; an unknown or missing one falls back to <see cref="DefaultPriority"/>.</summary>
    public TimeSpan TargetFor(string? priority) => Lookup(Targets, priority);

    /// <summary>The first-response target of a priority (a policy without them has none: the single target is used).</summary>
    public TimeSpan FirstResponseTargetFor(string? priority) => Lookup(FirstResponseTargets ?? Targets, priority);

    /// <summary>The priority the clock uses: the ticket's, or the default when it has none (or a value the policy does not know).</summary>
    public string Effective(string? priority) =>
        Priorities.IsValid(priority) && Targets.ContainsKey(priority!) ? priority! : DefaultPriority;

    private TimeSpan Lookup(IReadOnlyDictionary<string, TimeSpan> targets, string? priority) =>
        priority is not null && targets.TryGetValue(priority, out var target) ? target : targets[DefaultPriority];
}
