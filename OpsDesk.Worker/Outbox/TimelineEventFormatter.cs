using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;

namespace OpsDesk.Worker.Outbox;

/// <summary>
/// The SDK's JSON event format, with one change: JSON data is written as the text it was read
/// from (PostgreSQL's <c>jsonb</c> text), not re-serialised, so the bytes consumers get for an
/// event do not depend on this process's JSON escaping.
/// </summary>
public sealed class TimelineEventFormatter : JsonEventFormatter
{
    protected override void EncodeStructuredModeData(CloudEvent cloudEvent, Utf8JsonWriter writer)
    {
        if (cloudEvent.Data is JsonElement data)
        {
            writer.WritePropertyName(DataPropertyName);
            writer.WriteRawValue(data.GetRawText(), skipInputValidation: true);
            return;
        }

        base.EncodeStructuredModeData(cloudEvent, writer);
    }
}
