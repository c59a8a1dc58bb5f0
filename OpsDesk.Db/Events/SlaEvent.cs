using System.Text.Json.Serialization;
using OpsDesk.Db.Sla;
using OpsDesk.Db.Tickets;

namespace OpsDesk.Db.Events;

/// <summary>
/// What every SLA event says: the priority in force and its target, the deadline and warning time,
/// the clock time used and paused, and the resulting <c>tickets.sla_state</c>. Seconds and
/// minutes are rounded to three decimals.
/// </summary>
public abstract record SlaEvent
{
    public TicketPriority Priority { get; init; }

    /// <summary>True when the ticket has no priority and the default applies.</summary>
    public bool PriorityDefaulted { get; init; }

    /// <summary>The target as an ISO 8601 duration (<c>PT4H</c>).</summary>
    [JsonConverter(typeof(IsoDurationConverter))]
    public TimeSpan Target { get; init; }

    /// <summary>The same target in minutes; follows from <see cref="Target"/>.</summary>
    public double TargetMinutes => Math.Round(Target.TotalMinutes, 3);

    public DateTime DueAt { get; init; }

    public DateTime WarningAt { get; init; }

    public double ElapsedSeconds { get; init; }

    public double PausedSeconds { get; init; }

    public SlaState State { get; init; }
}
