using OpsDesk.Db.Events;
using OpsDesk.Db.Sla;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Db;

/// <summary>The two shapes of SLA payloads: single target (<c>"target": "PT4H"</c>) and two targets (<c>"target": "resolution"</c>).</summary>
public sealed class SlaEventShapeTests
{
    [Test]
    public async Task A_two_target_payload_reads_back_into_the_same_target_and_length_and_stores_back_unchanged()
    {
        var written = TicketEventWriter.Serialize(new SlaBreachedEvent
        {
            TargetKind = SlaTarget.Resolution,
            Duration = TimeSpan.FromDays(3),
            State = SlaState.Breached,
        });
        var stored = await TestDatabase.ScalarAsync<string>("SELECT @payload::jsonb::text", ("payload", written));

        var read = TicketEventWriter.Deserialize<SlaBreachedEvent>(stored!);

        Assert.Multiple(() =>
        {
            Assert.That(stored, Does.Contain("""
                "target": "resolution"
                """));
            Assert.That(stored, Does.Contain("""
                "targetDuration": "P3D"
                """));
            Assert.That(read.TargetKind, Is.EqualTo(SlaTarget.Resolution));
            Assert.That(read.Duration, Is.EqualTo(TimeSpan.FromDays(3)));
            Assert.That(read.TargetMinutes, Is.EqualTo(4320));
        });
        Assert.That(await TestDatabase.ScalarAsync<string>("SELECT @payload::jsonb::text", ("payload", TicketEventWriter.Serialize(read))), Is.EqualTo(stored));
    }

    [Test]
    public void A_single_target_payload_reads_its_length_from_target_and_names_no_target()
    {
        var read = TicketEventWriter.Deserialize<SlaWarningEvent>("""{"target": "PT4H", "targetMinutes": 240, "priority": "P1", "state": "warned"}""");

        Assert.Multiple(() =>
        {
            Assert.That(read.TargetKind, Is.Null);
            Assert.That(read.Duration, Is.EqualTo(TimeSpan.FromHours(4)));
            Assert.That(TicketEventWriter.Serialize(read), Does.Not.Contain("targetDuration"));
        });
    }

    [Test]
    public void A_target_that_is_neither_a_name_nor_a_duration_is_refused()
    {
        Assert.Catch(() => TicketEventWriter.Deserialize<SlaWarningEvent>("""{"target": "first-response"}"""));
    }
}
