using System.Text.Json.Serialization;

namespace OpsDesk.Db.Tickets;

/// <summary>A ticket priority, P0 the most urgent; the member names are the wire strings.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TicketPriority>))]
public enum TicketPriority
{
    P0,
    P1,
    P2,
    P3,
}
