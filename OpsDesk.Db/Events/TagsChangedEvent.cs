namespace OpsDesk.Db.Events;

/// <summary><c>ticket.tags_changed</c>: the tags added and removed by one change, each sorted.</summary>
public sealed record TagsChangedEvent(IReadOnlyList<string> Added, IReadOnlyList<string> Removed) : ITicketEvent
{
    public static string Type => EventTypes.TagsChanged;
}
