namespace OpsDesk.Db.Events;

/// <summary><c>sla.warning</c>: the warning time was reached.</summary>
public sealed record SlaWarningEvent : SlaEvent, ITicketEvent
{
    public static string Type => EventTypes.SlaWarning;
}
