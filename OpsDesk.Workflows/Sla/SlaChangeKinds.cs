using OpsDesk.Db.Events;

namespace OpsDesk.Workflows.Sla;

/// <summary>Kinds of <see cref="SlaChange"/>.</summary>
public static class SlaChangeKinds
{
    public const string Status = "status";
    public const string Priority = "priority";

    /// <summary>The ticket's first public agent comment (value <c>agent</c>): its first response.</summary>
    public const string Reply = "reply";

    /// <summary>The kind for a timeline event type, or null for types the SLA does not follow.</summary>
    public static string? FromEventType(string type) => type switch
    {
        EventTypes.StatusChanged => Status,
        EventTypes.PriorityChanged => Priority,
        EventTypes.CommentAdded => Reply,
        _ => null,
    };
}
