namespace OpsDesk.Workflows.Sla;

/// <summary>
/// The <c>Sla</c> configuration section: the two targets per priority, when the warnings fire and how
/// the worker delivers agents' changes to the SLA workflows. Validated at start
/// (<see cref="SlaOptionsValidator"/>). The workflow never reads these from DI: the load activity
/// hands them over as an <see cref="SlaPolicy"/>, which is then carried in history.
/// </summary>
public sealed class SlaOptions
{
    public const string Section = "Sla";

    /// <summary>
    /// Time to the first public agent reply per priority (<c>Sla:FirstResponseTargets:P0</c> = <c>00:15:00</c>, ...),
    /// counted from ticket creation; pending does not pause it.
    /// </summary>
    public Dictionary<string, TimeSpan> FirstResponseTargets { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["P0"] = TimeSpan.FromMinutes(15),
        ["P1"] = TimeSpan.FromMinutes(60),
        ["P2"] = TimeSpan.FromHours(6),
        ["P3"] = TimeSpan.FromHours(24),
    };

    /// <summary>
    /// Time to resolve per priority (<c>Sla:ResolutionTargets:P0</c> = <c>04:00:00</c>, ...), counted from
    /// ticket creation, paused while the ticket is pending.
    /// </summary>
    public Dictionary<string, TimeSpan> ResolutionTargets { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["P0"] = TimeSpan.FromHours(4),
        ["P1"] = TimeSpan.FromHours(24),
        ["P2"] = TimeSpan.FromDays(3),
        ["P3"] = TimeSpan.FromDays(7),
    };

    /// <summary>
    /// The single target of before #16 (<c>Sla:Targets:*</c>). No longer read: the validator refuses it
    /// when set, so a configuration written for one target does not silently lose its values.
    /// </summary>
    public Dictionary<string, TimeSpan> Targets { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Fraction of each target after which its <c>sla.warning</c> fires (0 &lt; x &lt; 1).</summary>
    public double WarningAt { get; set; } = 0.8;

    /// <summary>Priority used when the ticket has none (triage failed or not done).</summary>
    public string DefaultPriority { get; set; } = "P2";

    /// <summary>An SLA workflow continues as new after applying this many changes (or when Temporal suggests it).</summary>
    public int ContinueAsNewAfterChanges { get; set; } = 500;

    /// <summary>Seconds between two polls of the change dispatcher when no notification woke it.</summary>
    public double DispatchEverySeconds { get; set; } = 5;

    /// <summary>Changes the dispatcher reads per round.</summary>
    public int DispatchBatchSize { get; set; } = 100;

    /// <summary>Longest wait of the dispatcher's backoff while Temporal is unreachable.</summary>
    public double DispatchMaxBackoffSeconds { get; set; } = 60;

    /// <summary>The policy the workflow runs on: a plain value, normalised (upper-case priorities).</summary>
    public SlaPolicy ToPolicy() => new(
        Normalised(ResolutionTargets),
        WarningAt,
        DefaultPriority.ToUpperInvariant(),
        ContinueAsNewAfterChanges,
        Normalised(FirstResponseTargets));

    private static Dictionary<string, TimeSpan> Normalised(Dictionary<string, TimeSpan> targets) =>
        targets.ToDictionary(t => t.Key.ToUpperInvariant(), t => t.Value, StringComparer.Ordinal);
}
