using System.Text.Json.Serialization;

namespace OpsDesk.Db.Tickets;

/// <summary>A ticket's status in the event contracts; serialised as <see cref="TicketStatuses"/>' strings.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TicketStatus>))]
public enum TicketStatus
{
    [JsonStringEnumMemberName(TicketStatuses.Open)]
    Open,

    [JsonStringEnumMemberName(TicketStatuses.Pending)]
    Pending,

    [JsonStringEnumMemberName(TicketStatuses.Resolved)]
    Resolved,

    [JsonStringEnumMemberName(TicketStatuses.Closed)]
    Closed,
}
