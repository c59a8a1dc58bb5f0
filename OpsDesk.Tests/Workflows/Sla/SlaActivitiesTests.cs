using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpsDesk.Db.Events;
using OpsDesk.Db.Sla;
using OpsDesk.Db.Tickets;
using OpsDesk.Tests.Support;
using OpsDesk.Workflows;
using OpsDesk.Workflows.Sla;
using Temporalio.Exceptions;
using Temporalio.Testing;

namespace OpsDesk.Tests.Workflows.Sla;

/// <summary>The SLA activities against the real test database, run the way a worker runs them.</summary>
public sealed class SlaActivitiesTests
{
    private static readonly DateTime Created = new(2026, 3, 2, 10, 0, 0, DateTimeKind.Utc);

    private static SlaActivities Activities(SlaOptions? options = null) =>
        new(new SlaRepository(TestDatabase.DataSource), Options.Create(options ?? new SlaOptions()), NullLogger<SlaActivities>.Instance);

    private static SlaEventRequest Warning(long ticketId) => new(
        ticketId, EventTypes.SlaWarning, "warning", Created.AddMinutes(12), "P0", false, TimeSpan.FromMinutes(15),
        Created.AddMinutes(15), Created.AddMinutes(12), TimeSpan.FromMinutes(12), TimeSpan.Zero, SlaStates.Warned);

    [Test]
    public async Task Recording_an_event_twice_leaves_one_row_and_returns_the_same_id()
    {
        var id = await SlaTickets.CreateAsync(Created, "P0");
        var activities = Activities();
        var env = new ActivityEnvironment();

        var first = await env.RunAsync(() => activities.RecordEventAsync(Warning(id)));
        var second = await env.RunAsync(() => activities.RecordEventAsync(Warning(id)));

        Assert.That(second, Is.EqualTo(first));
        Assert.That(await SlaTickets.CountEventsAsync(id, EventTypes.SlaWarning), Is.EqualTo(1));
    }

    [Test]
    public async Task Recording_an_event_sets_the_sla_columns_and_stamps_the_decision_time()
    {
        var id = await SlaTickets.CreateAsync(Created, "P0");

        await new ActivityEnvironment().RunAsync(() => Activities().RecordEventAsync(Warning(id)));

        var row = await new TicketRepository(TestDatabase.DataSource).GetAsync(id);
        var events = await Timeline.ListAsync(TestDatabase.DataSource, id);
        var warning = events.Single(e => e.Type == EventTypes.SlaWarning);
        var payload = JsonNode.Parse(warning.Payload)!;
        Assert.Multiple(() =>
        {
            Assert.That(row!.SlaDueAt, Is.EqualTo(Created.AddMinutes(15)));
            Assert.That(row.SlaWarningAt, Is.EqualTo(Created.AddMinutes(12)));
            Assert.That(row.SlaState, Is.EqualTo(SlaStates.Warned));
            Assert.That(warning.OccurredAt, Is.EqualTo(Created.AddMinutes(12)));
            Assert.That(warning.DedupeKey, Is.EqualTo("warning"));
            Assert.That(payload["priority"]!.GetValue<string>(), Is.EqualTo("P0"));
            Assert.That(payload["targetMinutes"]!.GetValue<double>(), Is.EqualTo(15));
            Assert.That(payload["target"]!.GetValue<string>(), Is.EqualTo("PT15M"));
            Assert.That(payload["dueAt"]!.GetValue<DateTime>().ToUniversalTime(), Is.EqualTo(Created.AddMinutes(15)));
            Assert.That(payload["elapsedSeconds"]!.GetValue<double>(), Is.EqualTo(720));
            Assert.That(payload["pausedSeconds"]!.GetValue<double>(), Is.EqualTo(0));
        });
    }

    [Test]
    public async Task A_completed_event_carries_the_outcome()
    {
        var id = await SlaTickets.CreateAsync(Created, "P1");
        var request = Warning(id) with { Type = EventTypes.SlaCompleted, DedupeKey = "completed", State = SlaStates.Completed, Outcome = SlaOutcomes.Met, CauseEventId = 5 };

        await new ActivityEnvironment().RunAsync(() => Activities().RecordEventAsync(request));

        var events = await Timeline.ListAsync(TestDatabase.DataSource, id);
        var payload = JsonNode.Parse(events.Single(e => e.Type == EventTypes.SlaCompleted).Payload)!;
        Assert.That(payload["outcome"]!.GetValue<string>(), Is.EqualTo("met"));
        Assert.That(payload["causeEventId"]!.GetValue<long>(), Is.EqualTo(5));
        Assert.That(await TestDatabase.ScalarAsync<string>("SELECT sla_state FROM tickets WHERE id = @id", ("id", id)), Is.EqualTo("completed"));
    }

    [Test]
    public async Task Saving_state_sets_the_columns_without_a_timeline_event()
    {
        var id = await SlaTickets.CreateAsync(Created, "P0");

        await new ActivityEnvironment().RunAsync(() =>
            Activities().SaveStateAsync(new SlaStateRequest(id, Created.AddMinutes(15), Created.AddMinutes(12), SlaStates.Paused)));

        Assert.That(await TestDatabase.ScalarAsync<string>("SELECT sla_state FROM tickets WHERE id = @id", ("id", id)), Is.EqualTo("paused"));
        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM ticket_events WHERE ticket_id = @id AND type LIKE 'sla.%'", ("id", id)), Is.Zero);
    }

    [Test]
    public async Task Loading_reads_the_ticket_its_changes_and_the_configured_policy()
    {
        var id = await SlaTickets.CreateAsync(Created, "P3");
        var changes = new TicketChangeRepository(TestDatabase.DataSource);
        await changes.ChangeAsync(id, new TicketChange(null, "P1"));
        await changes.ChangeAsync(id, new TicketChange("pending", null));
        var options = new SlaOptions { WarningAt = 0.75 };

        var state = await new ActivityEnvironment().RunAsync(() => Activities(options).LoadTicketAsync(id));

        var lastChange = await TestDatabase.ScalarAsync<long>(
            "SELECT max(id) FROM ticket_events WHERE ticket_id = @id AND type IN ('ticket.status_changed', 'ticket.priority_changed')", ("id", id));
        Assert.Multiple(() =>
        {
            Assert.That(state.CreatedAt, Is.EqualTo(Created));
            Assert.That(state.Priority, Is.EqualTo("P1"), "an agent's override is what the clock sees");
            Assert.That(state.Status, Is.EqualTo("pending"));
            Assert.That(state.PausedSince, Is.Not.Null);
            Assert.That(state.LastChangeEventId, Is.EqualTo(lastChange));
            Assert.That(state.Policy.WarningFraction, Is.EqualTo(0.75));
        });
    }

    [Test]
    public async Task Loading_sees_sla_events_already_recorded()
    {
        var id = await SlaTickets.CreateAsync(Created, "P0");
        await new ActivityEnvironment().RunAsync(() => Activities().RecordEventAsync(Warning(id)));

        var state = await new ActivityEnvironment().RunAsync(() => Activities().LoadTicketAsync(id));

        Assert.That(state.WarningSent, Is.True);
        Assert.That(state.Breached, Is.False);
    }

    [Test]
    public void Loading_a_ticket_that_does_not_exist_fails_without_retry()
    {
        var ex = Assert.ThrowsAsync<ApplicationFailureException>(() =>
            new ActivityEnvironment().RunAsync(() => Activities().LoadTicketAsync(long.MaxValue)));

        Assert.That(ex!.ErrorType, Is.EqualTo(TicketNotFound.ErrorType));
        Assert.That(ex.NonRetryable, Is.True);
    }

    [Test]
    public async Task A_two_target_event_names_its_target_and_sets_both_targets_columns_and_the_summary()
    {
        var id = await SlaTickets.CreateAsync(Created, "P0");
        var first = new SlaTargetColumns(Created.AddMinutes(15), Created.AddMinutes(12), SlaStates.Warned);
        var resolution = new SlaTargetColumns(Created.AddHours(4), Created.AddMinutes(192), SlaStates.Running);
        var request = Warning(id) with
        {
            DedupeKey = SlaDedupeKeys.For("warning", SlaTarget.FirstResponse),
            TargetKind = SlaTarget.FirstResponse,
            Columns = new SlaColumns(first, first, resolution),
        };

        await new ActivityEnvironment().RunAsync(() => Activities().RecordEventAsync(request));
        await new ActivityEnvironment().RunAsync(() => Activities().RecordEventAsync(request));

        var row = (await new TicketRepository(TestDatabase.DataSource).GetAsync(id))!;
        var warning = (await Timeline.ListAsync(TestDatabase.DataSource, id)).Single(e => e.Type == EventTypes.SlaWarning);
        var payload = JsonNode.Parse(warning.Payload)!;
        Assert.Multiple(() =>
        {
            Assert.That(warning.DedupeKey, Is.EqualTo("warning:first_response"));
            Assert.That(payload["target"]!.GetValue<string>(), Is.EqualTo("first_response"));
            Assert.That(payload["targetDuration"]!.GetValue<string>(), Is.EqualTo("PT15M"));
            Assert.That(payload["targetMinutes"]!.GetValue<double>(), Is.EqualTo(15));
            Assert.That(payload["state"]!.GetValue<string>(), Is.EqualTo("warned"));
            Assert.That(row.SlaState, Is.EqualTo(SlaStates.Warned));
            Assert.That(row.SlaDueAt, Is.EqualTo(Created.AddMinutes(15)));
            Assert.That(row.SlaFirstResponseState, Is.EqualTo(SlaStates.Warned));
            Assert.That(row.SlaFirstResponseWarningAt, Is.EqualTo(Created.AddMinutes(12)));
            Assert.That(row.SlaResolutionState, Is.EqualTo(SlaStates.Running));
            Assert.That(row.SlaResolutionDueAt, Is.EqualTo(Created.AddHours(4)));
        });
    }

    [Test]
    public async Task A_single_target_event_keeps_the_old_payload_and_fills_the_resolution_columns_only()
    {
        var id = await SlaTickets.CreateAsync(Created, "P0");

        await new ActivityEnvironment().RunAsync(() => Activities().RecordEventAsync(Warning(id)));

        var row = (await new TicketRepository(TestDatabase.DataSource).GetAsync(id))!;
        var payload = JsonNode.Parse((await Timeline.ListAsync(TestDatabase.DataSource, id)).Single(e => e.Type == EventTypes.SlaWarning).Payload)!;
        Assert.Multiple(() =>
        {
            Assert.That(payload["target"]!.GetValue<string>(), Is.EqualTo("PT15M"));
            Assert.That(payload.AsObject().ContainsKey("targetDuration"), Is.False);
            Assert.That(row.SlaResolutionState, Is.EqualTo(SlaStates.Warned));
            Assert.That(row.SlaResolutionDueAt, Is.EqualTo(Created.AddMinutes(15)));
            Assert.That(row.SlaFirstResponseState, Is.Null);
            Assert.That(row.SlaFirstResponseDueAt, Is.Null);
        });
    }
}
