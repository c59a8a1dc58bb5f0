using System.Diagnostics;

namespace OpsDesk.Db.Events;

/// <summary>The W3C <c>traceparent</c> of the current span, as events store it (<c>ticket_events.trace_parent</c>) and Temporal headers carry it.</summary>
public static class TraceParent
{
    /// <summary>The current span's traceparent; null when there is none (tracing off) or it is not W3C.</summary>
    public static string? Current() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;
}
