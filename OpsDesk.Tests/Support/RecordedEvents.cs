using System.Globalization;
using System.Text.Json;
using OpsDesk.Db.Outbox;

namespace OpsDesk.Tests.Support;

/// <summary>
/// The timeline rows and Kafka messages recorded before the typed event contracts
/// (<c>Fixtures/events/</c>, see its README): what consumers got from the code of that time.
/// </summary>
public static class RecordedEvents
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<RecordedRow> Rows { get; } = Read<List<RecordedRow>>("ticket_events.json");

    public static IReadOnlyList<RecordedMessage> Messages { get; } = Read<List<RecordedMessage>>("kafka_messages.json");

    private static T Read<T>(string name) =>
        JsonSerializer.Deserialize<T>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "events", name)), Json)!;
}

/// <summary>A recorded <c>ticket_events</c> row; <see cref="Payload"/> is PostgreSQL's <c>payload::text</c>.</summary>
public sealed record RecordedRow(long Id, long TicketId, string Type, string? DedupeKey, string OccurredAt, string Payload)
{
    public DateTime OccurredAtUtc => DateTime.Parse(OccurredAt, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    /// <summary>The row as the relay reads it.</summary>
    public OutboxEvent AsOutboxEvent() => new(Id, TicketId, Type, Payload, OccurredAtUtc);
}

/// <summary>A recorded Kafka message: key, the exact value bytes (base64) and the headers in order.</summary>
public sealed record RecordedMessage(long EventId, string Key, string ValueBase64, string Value, IReadOnlyList<RecordedHeader> Headers);

public sealed record RecordedHeader(string Key, string Value);
