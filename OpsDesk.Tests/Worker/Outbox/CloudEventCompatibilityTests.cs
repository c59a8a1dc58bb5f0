using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using OpsDesk.Db.Outbox;
using OpsDesk.Tests.Support;
using OpsDesk.Worker.Outbox;

namespace OpsDesk.Tests.Worker.Outbox;

/// <summary>
/// The envelope built through the CloudEvents SDK is byte for byte the one consumers got before
/// it, except for the one intended difference (README, "Kafka"): the SDK writes <c>time</c> and
/// <c>ce_time</c> with three fraction digits when the microseconds are whole milliseconds and with
/// none on a whole second, where the old envelope always wrote six.
/// </summary>
public sealed partial class CloudEventCompatibilityTests
{
    /// <summary>
    /// The old fixed six-digit time as the SDK writes the same instant: six digits, or three when
    /// the microseconds are whole milliseconds, or none on a whole second.
    /// </summary>
    private static string SdkTime(string oldTime) => OldTime().Replace(oldTime, m =>
    {
        var fraction = m.Groups["fraction"].Value;
        fraction = fraction == "000000" ? "" : fraction.EndsWith("000", StringComparison.Ordinal) ? "." + fraction[..3] : "." + fraction;
        return m.Groups["seconds"].Value + fraction + "Z";
    });

    [GeneratedRegex(@"(?<seconds>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\.(?<fraction>\d{6})Z")]
    private static partial Regex OldTime();

    [Test]
    public void Every_recorded_event_becomes_the_recorded_kafka_message_but_for_the_trailing_zeros_of_its_time()
    {
        Assert.That(RecordedEvents.Messages, Has.Count.EqualTo(RecordedEvents.Rows.Count));
        foreach (var row in RecordedEvents.Rows)
        {
            var expected = RecordedEvents.Messages.Single(m => m.EventId == row.Id);
            var oldTime = expected.Headers.Single(h => h.Key == "ce_time").Value;

            var message = CloudEventMessage.Create(row.AsOutboxEvent());

            var value = Encoding.UTF8.GetString(message.Value);
            Assert.Multiple(() =>
            {
                Assert.That(message.Key, Is.EqualTo(expected.Key), $"key of event {row.Id}");
                Assert.That(value, Is.EqualTo(expected.Value.Replace($"\"time\":\"{oldTime}\"", $"\"time\":\"{SdkTime(oldTime)}\"", StringComparison.Ordinal)), $"value of event {row.Id}");
                Assert.That(
                    message.Headers.Select(h => (h.Key, Encoding.UTF8.GetString(h.GetValueBytes()))),
                    Is.EqualTo(expected.Headers.Select(h => (h.Key, h.Key == "ce_time" ? SdkTime(h.Value) : h.Value))),
                    $"headers of event {row.Id}, in order");
                Assert.That(
                    DateTimeOffset.Parse(Encoding.UTF8.GetString(message.Headers.GetLastBytes("ce_time")), CultureInfo.InvariantCulture),
                    Is.EqualTo(DateTimeOffset.Parse(oldTime, CultureInfo.InvariantCulture)),
                    $"the same instant for event {row.Id}");
            });
        }
    }

    [TestCase(548_970, "2025-03-01T09:30:15.548970Z")]
    [TestCase(548_000, "2025-03-01T09:30:15.548Z")]
    [TestCase(0, "2025-03-01T09:30:15Z")]
    public void The_time_keeps_microseconds_and_drops_only_whole_milliseconds_or_seconds_zeros(int microseconds, string time)
    {
        var row = RecordedEvents.Rows.First(r => r.Type == "ticket.created");
        var expected = RecordedEvents.Messages.Single(m => m.EventId == row.Id);
        var oldTime = expected.Headers.Single(h => h.Key == "ce_time").Value;
        var at = new DateTime(2025, 3, 1, 9, 30, 15, DateTimeKind.Utc).AddTicks(microseconds * 10L);

        var message = CloudEventMessage.Create(new OutboxEvent(row.Id, row.TicketId, row.Type, row.Payload, at));

        Assert.That(Encoding.UTF8.GetString(message.Headers.GetLastBytes("ce_time")), Is.EqualTo(time));
        Assert.That(SdkTime(at.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)), Is.EqualTo(time));
        Assert.That(Encoding.UTF8.GetString(message.Value), Is.EqualTo(expected.Value.Replace(oldTime, time, StringComparison.Ordinal)));
    }
}
