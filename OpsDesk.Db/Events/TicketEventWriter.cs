using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Dapper;
using Npgsql;

namespace OpsDesk.Db.Events;

/// <summary>
/// The one place a timeline event is written (and its payload serialised): every writer appends
/// through <see cref="AppendAsync"/> inside its own transaction, so the event commits with the
/// writes it describes. Rows are immutable once written.
/// </summary>
public static class TicketEventWriter
{
    /// <summary>The channel every insert into <c>ticket_events</c> notifies (the trigger of migration 0001): LISTEN on it to hear of new events at once.</summary>
    public const string Channel = "ticket_events";

    /// <summary>
    /// The columns every insert into <c>ticket_events</c> sets, in this order. <c>trace_parent</c> is
    /// the writer's span (<see cref="TraceParent.Current"/>): it can only be set here, at INSERT.
    /// </summary>
    internal const string InsertColumns = "INSERT INTO ticket_events (ticket_id, type, payload, dedupe_key, occurred_at, trace_parent)";

    /// <summary>
    /// Appends an event in the caller's transaction. With a dedupe key, a second append of the same
    /// (ticket, type, key) writes nothing and returns the first event's id. Without
    /// <paramref name="occurredAt"/> the event happened now (the transaction's time).
    /// </summary>
    public static async Task<long> AppendAsync<TEvent>(
        NpgsqlConnection conn, NpgsqlTransaction? tx, long ticketId, TEvent payload, string? dedupeKey, CancellationToken ct, DateTime? occurredAt = null)
        where TEvent : ITicketEvent
    {
        const string insert = InsertColumns + """

            VALUES (@ticketId, @type, @payload::jsonb, @dedupeKey, COALESCE(@occurredAt::timestamptz, now()), @traceParent)
            ON CONFLICT (ticket_id, type, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
            RETURNING id
            """;
        const string existing = "SELECT id FROM ticket_events WHERE ticket_id = @ticketId AND type = @type AND dedupe_key = @dedupeKey";
        var args = new { ticketId, type = TEvent.Type, payload = Serialize(payload), dedupeKey, occurredAt, traceParent = TraceParent.Current() };
        var id = await conn.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(insert, args, tx, cancellationToken: ct));
        return id ?? await conn.QuerySingleAsync<long>(new CommandDefinition(existing, args, tx, cancellationToken: ct));
    }

    /// <summary>The payload as stored (jsonb text before PostgreSQL normalises it).</summary>
    public static string Serialize<TEvent>(TEvent payload)
        where TEvent : ITicketEvent => JsonSerializer.Serialize(payload, Info<TEvent>());

    /// <summary>Reads a stored payload (<c>ticket_events.payload</c> text) of <typeparamref name="TEvent"/>.</summary>
    public static TEvent Deserialize<TEvent>(string payloadJson)
        where TEvent : ITicketEvent =>
        JsonSerializer.Deserialize(payloadJson, Info<TEvent>()) ?? throw new JsonException($"A {TEvent.Type} payload is null.");

    private static JsonTypeInfo<TEvent> Info<TEvent>() =>
        (JsonTypeInfo<TEvent>)(TicketEventJsonContext.Default.GetTypeInfo(typeof(TEvent))
            ?? throw new InvalidOperationException($"{typeof(TEvent).Name} is not in {nameof(TicketEventJsonContext)}."));
}
