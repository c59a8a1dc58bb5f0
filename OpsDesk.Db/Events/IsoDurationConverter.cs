using System.Text.Json;
using System.Text.Json.Serialization;
using System.Xml;

namespace OpsDesk.Db.Events;

/// <summary>A <see cref="TimeSpan"/> as an ISO 8601 duration string (<c>PT4H</c>, <c>P1D</c>), as <see cref="XmlConvert"/> writes it.</summary>
public sealed class IsoDurationConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        XmlConvert.ToTimeSpan(reader.GetString() ?? throw new JsonException("An ISO 8601 duration must be a string."));

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteStringValue(XmlConvert.ToString(value));
}
