using System.Reflection;
using OpsDesk.Db.Events;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Db;

/// <summary>The typed event records read every payload written before them and write it back unchanged.</summary>
public sealed class EventContractTests
{
    /// <summary>Reads a stored payload into its record and serialises the record again.</summary>
    private static readonly Dictionary<string, Func<string, string>> RoundTrips = new(StringComparer.Ordinal)
    {
        [TicketCreatedEvent.Type] = RoundTrip<TicketCreatedEvent>,
        [TicketClassifiedEvent.Type] = RoundTrip<TicketClassifiedEvent>,
        [TriageFailedEvent.Type] = RoundTrip<TriageFailedEvent>,
        [TriageRetriedEvent.Type] = RoundTrip<TriageRetriedEvent>,
        [StatusChangedEvent.Type] = RoundTrip<StatusChangedEvent>,
        [PriorityChangedEvent.Type] = RoundTrip<PriorityChangedEvent>,
        [SlaWarningEvent.Type] = RoundTrip<SlaWarningEvent>,
        [SlaBreachedEvent.Type] = RoundTrip<SlaBreachedEvent>,
        [SlaRecalculatedEvent.Type] = RoundTrip<SlaRecalculatedEvent>,
        [SlaCompletedEvent.Type] = RoundTrip<SlaCompletedEvent>,
        [CommentAddedEvent.Type] = RoundTrip<CommentAddedEvent>,
        [AssignedEvent.Type] = RoundTrip<AssignedEvent>,
        [TagsChangedEvent.Type] = RoundTrip<TagsChangedEvent>,
    };

    /// <summary>Types that did not exist when the fixtures were recorded: no old payload of theirs can exist.</summary>
    private static readonly string[] NewerThanFixtures = [CommentAddedEvent.Type, AssignedEvent.Type, TagsChangedEvent.Type];

    private static string RoundTrip<TEvent>(string payload)
        where TEvent : ITicketEvent => TicketEventWriter.Serialize(TicketEventWriter.Deserialize<TEvent>(payload));

    [Test]
    public void Every_event_type_has_one_record_and_recorded_payloads()
    {
        var types = typeof(EventTypes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!).ToList();
        var records = typeof(ITicketEvent).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false } && typeof(ITicketEvent).IsAssignableFrom(t))
            .Select(t => (string)t.GetProperty(nameof(ITicketEvent.Type))!.GetValue(null)!)
            .ToList();

        Assert.That(records, Is.EquivalentTo(types), "one record per event type");
        Assert.That(RoundTrips.Keys, Is.EquivalentTo(types));
        Assert.That(RecordedEvents.Rows.Select(r => r.Type).Distinct(), Is.EquivalentTo(types.Except(NewerThanFixtures)), "the fixtures hold every event type older than them");
    }

    [Test]
    public async Task Payloads_written_before_the_records_read_into_them_and_store_back_to_the_same_jsonb_text()
    {
        foreach (var row in RecordedEvents.Rows)
        {
            var written = RoundTrips[row.Type](row.Payload);
            // PostgreSQL normalises jsonb (key order, spacing): the text it keeps is what the relay publishes.
            var stored = await TestDatabase.ScalarAsync<string>("SELECT @payload::jsonb::text", ("payload", written));
            Assert.That(stored, Is.EqualTo(row.Payload), $"event {row.Id} ({row.Type})");
        }
    }

    [Test]
    public void A_payload_with_an_unknown_status_is_refused()
    {
        Assert.Throws<System.Text.Json.JsonException>(() => TicketEventWriter.Deserialize<StatusChangedEvent>("""{"from": "open", "to": "archived"}"""));
    }
}
