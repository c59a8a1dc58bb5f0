using System.Text.Json.Serialization;

namespace OpsDesk.Db.Sla;

/// <summary>A ticket's SLA state in the event contracts; serialised as <see cref="SlaStates"/>' strings.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SlaState>))]
public enum SlaState
{
    [JsonStringEnumMemberName(SlaStates.Running)]
    Running,

    [JsonStringEnumMemberName(SlaStates.Warned)]
    Warned,

    [JsonStringEnumMemberName(SlaStates.Breached)]
    Breached,

    [JsonStringEnumMemberName(SlaStates.Paused)]
    Paused,

    [JsonStringEnumMemberName(SlaStates.Completed)]
    Completed,
}
