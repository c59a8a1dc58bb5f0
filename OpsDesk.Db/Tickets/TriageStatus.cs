using System.Text.Json.Serialization;

namespace OpsDesk.Db.Tickets;

/// <summary>A ticket's triage status in the event contracts; serialised as <see cref="TriageStatuses"/>' strings.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TriageStatus>))]
public enum TriageStatus
{
    [JsonStringEnumMemberName(TriageStatuses.Queued)]
    Queued,

    [JsonStringEnumMemberName(TriageStatuses.Running)]
    Running,

    [JsonStringEnumMemberName(TriageStatuses.Classified)]
    Classified,

    [JsonStringEnumMemberName(TriageStatuses.Failed)]
    Failed,
}
