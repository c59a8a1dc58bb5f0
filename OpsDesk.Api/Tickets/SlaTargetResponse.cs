using OpsDesk.Db;

namespace OpsDesk.Api.Tickets;

/// <summary>One SLA target: its deadline, warning time and state (running, warned, breached, paused, completed).</summary>
public sealed record SlaTargetResponse(DateTimeOffset? DueAt, DateTimeOffset? WarningAt, string State)
{
    public static SlaTargetResponse? Of(DateTime? dueAt, DateTime? warningAt, string? state) =>
        state is null ? null : new(UtcTime.Offset(dueAt), UtcTime.Offset(warningAt), state);
}
