using System.Text.Json.Serialization;

namespace OpsDesk.Db.Events;

/// <summary>Who wrote a comment: an agent (or admin) of the desk, or the ticket's requester.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CommentAuthorKind>))]
public enum CommentAuthorKind
{
    [JsonStringEnumMemberName("agent")]
    Agent,

    [JsonStringEnumMemberName("requester")]
    Requester,
}
