namespace OpsDesk.Db.Events;

/// <summary>Timeline event types, named as they appear on the wire.</summary>
public static class EventTypes
{
    public const string TicketCreated = "ticket.created";
    public const string TicketClassified = "ticket.classified";
    public const string TriageFailed = "ticket.triage_failed";
    public const string TriageRetried = "ticket.triage_retried";
    public const string StatusChanged = "ticket.status_changed";
    public const string PriorityChanged = "ticket.priority_changed";
    public const string CommentAdded = "ticket.comment_added";
    public const string Assigned = "ticket.assigned";
    public const string TagsChanged = "ticket.tags_changed";
    public const string SlaWarning = "sla.warning";
    public const string SlaBreached = "sla.breached";
    public const string SlaRecalculated = "sla.recalculated";
    public const string SlaCompleted = "sla.completed";
}
