namespace OpsDesk.Db.Events;

/// <summary>
/// The payload of one timeline event type. Each implementation is the one definition of its
/// payload's fields; <see cref="Type"/> is its wire name from <see cref="EventTypes"/>.
/// </summary>
public interface ITicketEvent
{
    static abstract string Type { get; }
}
