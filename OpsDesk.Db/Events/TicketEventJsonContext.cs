using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpsDesk.Db.Events;

/// <summary>
/// The one serializer of timeline payloads (source-generated): camelCase names, nulls written
/// (except where a record says otherwise), enums as their wire strings.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(TicketCreatedEvent))]
[JsonSerializable(typeof(TicketClassifiedEvent))]
[JsonSerializable(typeof(TriageFailedEvent))]
[JsonSerializable(typeof(TriageRetriedEvent))]
[JsonSerializable(typeof(StatusChangedEvent))]
[JsonSerializable(typeof(PriorityChangedEvent))]
[JsonSerializable(typeof(CommentAddedEvent))]
[JsonSerializable(typeof(AssignedEvent))]
[JsonSerializable(typeof(TagsChangedEvent))]
[JsonSerializable(typeof(SlaWarningEvent))]
[JsonSerializable(typeof(SlaBreachedEvent))]
[JsonSerializable(typeof(SlaRecalculatedEvent))]
[JsonSerializable(typeof(SlaCompletedEvent))]
public sealed partial class TicketEventJsonContext : JsonSerializerContext;
