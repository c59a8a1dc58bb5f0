using System.Text.Json.Serialization;

namespace OpsDesk.Db.Sla;

/// <summary>The two SLA targets of a ticket; the <c>target</c> of SLA events written by two-target clocks.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SlaTarget>))]
public enum SlaTarget
{
    /// <summary>Until the first public agent reply (or resolving); pending does not pause it.</summary>
    [JsonStringEnumMemberName("first_response")]
    FirstResponse,

    /// <summary>Until the ticket is resolved or closed; paused while pending.</summary>
    [JsonStringEnumMemberName("resolution")]
    Resolution,
}
