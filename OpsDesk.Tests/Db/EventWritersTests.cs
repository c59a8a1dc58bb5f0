using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using OpsDesk.Db.Events;
using OpsDesk.Db.Sla;
using OpsDesk.Db.Tickets;
using OpsDesk.Db.Triage;
using OpsDesk.Tests.Support;
using OpsDesk.Workflows.Sla;

namespace OpsDesk.Tests.Db;

/// <summary>
/// Every writer of the timeline, run on the typed contracts with the inputs the fixtures were
/// recorded with (<c>Fixtures/events/Recorder.cs.txt</c>), stores exactly the rows the code before
/// them stored.
/// </summary>
public sealed class EventWritersTests
{
    [Test]
    public async Task The_writers_store_the_recorded_payloads_byte_for_byte()
    {
        await using var db = NpgsqlDataSource.Create(await TestDatabase.CreateIsolatedDatabaseAsync());
        await WriteRecordedScenarioAsync(db);

        var rows = new List<TicketEventRow>();
        foreach (var ticket in RecordedEvents.Rows.Select(r => r.TicketId).Distinct())
            rows.AddRange(await Timeline.ListAsync(db, ticket));
        rows.Sort((a, b) => a.Id.CompareTo(b.Id));

        Assert.That(rows, Has.Count.EqualTo(RecordedEvents.Rows.Count));
        foreach (var (row, recorded) in rows.Zip(RecordedEvents.Rows))
        {
            Assert.Multiple(() =>
            {
                Assert.That((row.Id, row.TicketId, row.Type, row.DedupeKey), Is.EqualTo((recorded.Id, recorded.TicketId, recorded.Type, recorded.DedupeKey)));
                Assert.That(row.Payload, Is.EqualTo(recorded.Payload), $"payload of event {row.Id} ({row.Type})");
                // SLA events carry the clock's decision time; the others are stamped when written.
                if (row.Type.StartsWith("sla.", StringComparison.Ordinal))
                    Assert.That(row.OccurredAt.ToUniversalTime(), Is.EqualTo(recorded.OccurredAtUtc), $"occurred_at of event {row.Id}");
            });
        }
    }

    /// <summary>The recorder's scenario, through today's writers (the retry event now typed instead of a dictionary).</summary>
    private static async Task WriteRecordedScenarioAsync(NpgsqlDataSource db)
    {
        var tickets = new TicketRepository(db);
        var triage = new TriageRepository(db);
        var changes = new TicketChangeRepository(db);
        var queries = new TriageQueries(db);

        var a = (await tickets.InsertAsync(new NewTicket("Zahlung \"abgelehnt\" — Karte 💳 <b>&\tübermorgen", "d", "web", "kunde@example.com", null, null))).Ticket.Id;
        var b = (await tickets.InsertAsync(new NewTicket("OTP never arrives", "d", "email", null, null, null))).Ticket.Id;

        await triage.SaveAsync(new TriageResultRow(a, "s", "payments", "P1", "[]", 0.85671, "de", "negative", "local", null, "triage-v3"), default);
        await changes.ChangeAsync(b, new TicketChange(null, "P0"));
        await triage.SaveAsync(new TriageResultRow(b, "s", "otp_delivery", "P2", "[]", 0.5, "en", "neutral", "openai", "gpt-4o-mini", "triage-v3"), default);

        await triage.RecordFailureAsync(b, "0195c2d4-run-1", "provider_error", "OpenAI returned 500: \"upstream\"", 7, default);
        foreach (var previous in new[] { "0195c2d4-run-1", null })
            await queries.RecordRetryAsync(b, "retry-of:" + (previous ?? "none"), new TriageRetriedEvent(previous, "ops-ünïcode", "manual retry"), default);

        await changes.ChangeAsync(a, new TicketChange("pending", "P2"));
        await changes.ChangeAsync(a, new TicketChange("open", null));

        var t0 = new DateTime(2025, 3, 1, 9, 30, 15, 123, DateTimeKind.Utc).AddTicks(4567);
        var activities = new SlaActivities(new SlaRepository(db), Microsoft.Extensions.Options.Options.Create(new SlaOptions()), NullLogger<SlaActivities>.Instance);
        SlaEventRequest Req(string type, string key, string state, string? outcome = null, string? reason = null, DateTime? prevDue = null, string? prevPriority = null, long? cause = null, bool defaulted = false) =>
            new(a, type, key, t0.AddMinutes(5), "P2", defaulted, TimeSpan.FromHours(24), t0.AddHours(24), t0.AddHours(18), TimeSpan.FromSeconds(12345.6789), TimeSpan.FromMinutes(3.25), state, outcome, reason, prevDue, prevPriority, cause);
        await activities.RecordEventAsync(Req("sla.warning", "sla.warning:0", "warned"));
        await activities.RecordEventAsync(Req("sla.breached", "sla.breached:0", "breached", defaulted: true));
        await activities.RecordEventAsync(Req("sla.recalculated", "sla.recalculated:1", "running", reason: "resumed", prevDue: t0.AddHours(20), cause: 12));
        await activities.RecordEventAsync(Req("sla.recalculated", "sla.recalculated:2", "running", reason: "priority_changed", prevDue: t0.AddHours(8), prevPriority: "P1", cause: 13));
        await activities.RecordEventAsync(Req("sla.completed", "sla.completed", "completed", outcome: "met"));
        await activities.RecordEventAsync(Req("sla.completed", "sla.completed", "completed", outcome: "breached") with
        {
            TicketId = b,
            OccurredAt = new DateTime(2025, 3, 2, 0, 0, 0, DateTimeKind.Utc),
            DueAt = new DateTime(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc),
            Target = TimeSpan.FromMinutes(90.5),
        });

        await changes.ChangeAsync(a, new TicketChange("resolved", null));
    }
}
