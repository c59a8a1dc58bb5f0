using System.Text.Json.Serialization;
using System.Xml;
using OpsDesk.Db.Sla;
using OpsDesk.Db.Tickets;

namespace OpsDesk.Db.Events;

/// <summary>
/// What every SLA event says: the priority in force and its target, the deadline and warning time,
/// the clock time used and paused, and the state. Seconds and minutes are rounded to three decimals.
/// <para>
/// Two shapes share the record. A two-target clock (<see cref="TargetKind"/> set) writes
/// <c>"target": "first_response"|"resolution"</c>, the target's length as <c>targetDuration</c> (ISO 8601)
/// and that target's state. A single-target clock (started before #16, or its payloads written then) wrote
/// <c>"target": "PT4H"</c> (the length) and the ticket's <c>sla_state</c>; both read and write back unchanged.
/// </para>
/// </summary>
public abstract record SlaEvent
{
    public TicketPriority Priority { get; init; }

    /// <summary>True when the ticket has no priority and the default applies.</summary>
    public bool PriorityDefaulted { get; init; }

    /// <summary>Which target the event is about; null in a single-target clock's event.</summary>
    [JsonIgnore]
    public SlaTarget? TargetKind { get; init; }

    /// <summary>The target's length.</summary>
    [JsonIgnore]
    public TimeSpan Duration { get; init; }

    /// <summary>
    /// <c>first_response</c> or <c>resolution</c>; in a single-target event the length as an ISO 8601
    /// duration (<c>PT4H</c>).
    /// </summary>
    [JsonPropertyName("target")]
    public string Target
    {
        get => TargetKind is { } kind ? WireNames.Of(kind) : XmlConvert.ToString(Duration);
        init
        {
            if (WireNames.TryParse<SlaTarget>(value, out var kind))
                TargetKind = kind;
            else
                Duration = XmlConvert.ToTimeSpan(value);
        }
    }

    /// <summary>The target's length as an ISO 8601 duration; only in two-target events (a single-target one has it in <see cref="Target"/>).</summary>
    [JsonPropertyName("targetDuration")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TargetDuration
    {
        get => TargetKind is null ? null : XmlConvert.ToString(Duration);
        init
        {
            if (value is not null)
                Duration = XmlConvert.ToTimeSpan(value);
        }
    }

    /// <summary>The target's length in minutes.</summary>
    public double TargetMinutes => Math.Round(Duration.TotalMinutes, 3);

    public DateTime DueAt { get; init; }

    public DateTime WarningAt { get; init; }

    public double ElapsedSeconds { get; init; }

    public double PausedSeconds { get; init; }

    /// <summary>The target's state (two-target events) or the ticket's <c>sla_state</c> (single-target ones).</summary>
    public SlaState State { get; init; }
}
