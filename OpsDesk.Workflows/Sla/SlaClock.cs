using System.Text.Json.Serialization;

namespace OpsDesk.Workflows.Sla;

/// <summary>
/// The SLA arithmetic, pure and immutable so it can be tested without a server and replayed
/// without surprises. The clock runs from <see cref="CreatedAt"/>; time spent paused (ticket
/// pending) does not count. The deadline is <c>created + target + paused</c>, the warning time
/// <c>created + target × fraction + paused</c>.
/// <list type="bullet">
/// <item>Boundaries are inclusive: at the warning time exactly the warning is due, at the deadline exactly the breach is.</item>
/// <item>A pause stops the clock where it is: one that starts at or after the deadline does not prevent the breach.</item>
/// <item>A breach is final: a later priority change or resume moves the deadline but never un-breaches.</item>
/// <item>A warning is written once per ticket: a priority change never re-arms it.</item>
/// <item>When warning and breach fall due together (late start, priority raised past both) only the breach is written.</item>
/// <item>A completed clock (its target was met, or missed: see <see cref="OutcomeAt"/>) is frozen where it stopped and decides nothing more.</item>
/// </list>
/// One clock measures one target: the first response (never paused) or the resolution (paused while pending).
/// </summary>
public sealed record SlaClock(
    DateTime CreatedAt,
    TimeSpan Target,
    double WarningFraction,
    TimeSpan PausedTotal = default,
    DateTime? PausedSince = null,
    bool WarningSent = false,
    bool Breached = false,
    bool Completed = false)
{
    [JsonIgnore]
    public bool IsPaused => PausedSince is not null;

    /// <summary>Clock time from creation to the warning.</summary>
    [JsonIgnore]
    public TimeSpan WarningOffset => TimeSpan.FromTicks((long)Math.Round(Target.Ticks * WarningFraction, MidpointRounding.AwayFromZero));

    /// <summary>The deadline, counting pauses that have ended (an ongoing pause moves it when it ends).</summary>
    [JsonIgnore]
    public DateTime DueAt => CreatedAt + Target + PausedTotal;

    [JsonIgnore]
    public DateTime WarningAt => CreatedAt + WarningOffset + PausedTotal;

    /// <summary>Paused time up to <paramref name="now"/>, the ongoing pause included.</summary>
    public TimeSpan PausedAt(DateTime now) =>
        PausedTotal + (PausedSince is { } since && now > since ? now - since : TimeSpan.Zero);

    /// <summary>Clock time used up at <paramref name="now"/>: wall time since creation minus paused time.</summary>
    public TimeSpan ElapsedAt(DateTime now)
    {
        var running = (PausedSince is { } since && since < now ? since : now) - CreatedAt - PausedTotal;
        return running > TimeSpan.Zero ? running : TimeSpan.Zero;
    }

    /// <summary>Whether the deadline had been reached at <paramref name="now"/> (a pause freezes the clock).</summary>
    public bool IsOverdueAt(DateTime now) => Breached || ElapsedAt(now) >= Target;

    public SlaDecision Decide(DateTime now)
    {
        if (Breached || Completed)
            return SlaDecision.None;
        var elapsed = ElapsedAt(now);
        if (elapsed >= Target)
            return SlaDecision.Breach;
        return !WarningSent && elapsed >= WarningOffset ? SlaDecision.Warn : SlaDecision.None;
    }

    /// <summary>When the clock must next be looked at, or null when nothing can fall due (paused or breached).</summary>
    [JsonIgnore]
    public DateTime? NextCheckAt => IsPaused || Breached ? null : WarningSent ? DueAt : WarningAt;

    public SlaClock Pause(DateTime at) => IsPaused ? this : this with { PausedSince = at };

    public SlaClock Resume(DateTime at)
    {
        if (PausedSince is not { } since)
            return this;
        var paused = at > since ? at - since : TimeSpan.Zero;
        return this with { PausedTotal = PausedTotal + paused, PausedSince = null };
    }

    /// <summary>A new target (priority change), still counted from creation and keeping paused time.</summary>
    public SlaClock WithTarget(TimeSpan target) => this with { Target = target };

    public SlaClock MarkWarned() => this with { WarningSent = true };

    public SlaClock MarkBreached() => this with { Breached = true };

    /// <summary>Stops the clock for good at <paramref name="at"/> (first reply, resolution).</summary>
    public SlaClock Complete(DateTime at) => Pause(at) with { Completed = true };

    /// <summary>The clock's state: completed once stopped, else breached, paused, warned or running (in this order).</summary>
    [JsonIgnore]
    public string State => Completed ? Db.Sla.SlaStates.Completed
        : Breached ? Db.Sla.SlaStates.Breached
        : IsPaused ? Db.Sla.SlaStates.Paused
        : WarningSent ? Db.Sla.SlaStates.Warned
        : Db.Sla.SlaStates.Running;

    /// <summary>met or breached, for a ticket resolved or closed at <paramref name="at"/>.</summary>
    public string OutcomeAt(DateTime at) => IsOverdueAt(at) ? SlaOutcomes.Breached : SlaOutcomes.Met;
}
