using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using OpsDesk.Db.Events;
using OpsDesk.Db.Sla;
using OpsDesk.Db.Tickets;
using OpsDesk.Tests.Support;
using OpsDesk.Worker.Sla;
using OpsDesk.Workflows;
using OpsDesk.Workflows.Sla;
using OpsDesk.Workflows.Temporal;
using Temporalio.Client;
using Temporalio.Testing;
using Temporalio.Worker;

namespace OpsDesk.Tests.Workflows.Sla;

/// <summary>
/// SlaWorkflow on a real Temporal server with a real worker over a database of its own, changes
/// delivered by the real dispatcher. With the time-skipping test server the SLA minutes are real
/// (skipped) minutes; against a dev or remote server, which cannot skip time, every SLA minute is
/// scaled to one second so the suite still finishes.
/// </summary>
[Category("Temporal")]
[NonParallelizable]
public sealed class SlaLiveTests : LiveTemporalFixture
{
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(5);
    private bool skipsTime;
    private NpgsqlDataSource db = null!;

    /// <summary>Real length of one SLA minute in this run.</summary>
    private TimeSpan Minute => skipsTime ? TimeSpan.FromMinutes(1) : TimeSpan.FromSeconds(1);

    private TimeSpan Minutes(double n) => Minute * n;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        skipsTime = LiveTemporal.SkipsTime;
        db = NpgsqlDataSource.Create(await TestDatabase.CreateIsolatedDatabaseAsync());
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (db is not null)
            await db.DisposeAsync();
    }

    private int continueAsNewAfterChanges = 500;

    private SlaOptions Options => new()
    {
        ContinueAsNewAfterChanges = continueAsNewAfterChanges,
        Targets = new(StringComparer.OrdinalIgnoreCase)
        {
            ["P0"] = Minutes(15),
            ["P1"] = Minutes(60),
            ["P2"] = Minutes(360),
            ["P3"] = Minutes(1440),
        },
    };

    /// <summary>Runs <paramref name="body"/> with a worker for SlaWorkflow polling a task queue of its own.</summary>
    private async Task WithWorkerAsync(Func<string, Task> body)
    {
        var taskQueue = "sla-live-" + Guid.NewGuid().ToString("N")[..8];
        var activities = new SlaActivities(new SlaRepository(db), Microsoft.Extensions.Options.Options.Create(Options), NullLogger<SlaActivities>.Instance);
        using var worker = new TemporalWorker(Env.Client, new TemporalWorkerOptions(taskQueue).AddSlaWorkflow(activities));
        await worker.ExecuteAsync(() => body(taskQueue));
    }

    private async Task<DateTime> NowAsync()
    {
        var now = await Env.GetCurrentTimeAsync();
        // Whole milliseconds, so a value round-tripped through PostgreSQL compares exactly.
        return new DateTime(now.ToUniversalTime().Ticks / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
    }

    private async Task<long> TicketAsync(DateTime createdAt, string priority)
    {
        var id = (await new TicketRepository(db).InsertAsync(new NewTicket("Live SLA " + Guid.NewGuid().ToString("N")[..8], "d", "api", null, null, null))).Ticket.Id;
        await using var cmd = db.CreateCommand("UPDATE tickets SET created_at = @created, priority = @priority WHERE id = @id");
        cmd.Parameters.AddWithValue("created", createdAt);
        cmd.Parameters.AddWithValue("priority", priority);
        cmd.Parameters.AddWithValue("id", id);
        await cmd.ExecuteNonQueryAsync();
        return id;
    }

    private Task<WorkflowHandle<SlaWorkflow, SlaOutcome>> StartSlaAsync(long id, string taskQueue) =>
        Env.Client.StartWorkflowAsync((SlaWorkflow wf) => wf.RunAsync(new SlaInput(id)), new(WorkflowIds.Sla(id), taskQueue));

    /// <summary>An agent's change, written the way the API writes it, then delivered by one dispatcher round.</summary>
    private async Task ChangeAndDispatchAsync(long id, string? status = null, string? priority = null)
    {
        var result = await new TicketChangeRepository(db).ChangeAsync(id, new TicketChange(status, priority));
        Assert.That(result.Outcome, Is.EqualTo(TicketChangeOutcome.Changed));
        var clients = new TemporalClientProvider(Microsoft.Extensions.Options.Options.Create(new TemporalOptions()), NullLogger<TemporalClientProvider>.Instance)
        {
            Override = Env.Client,
        };
        var dispatcher = new SlaChangeDispatcher(new SlaChangeFeed(db), new TemporalSlaSignaler(clients), db,
            Microsoft.Extensions.Options.Options.Create(new SlaOptions()), NullLogger<SlaChangeDispatcher>.Instance);
        var round = await dispatcher.RunOnceAsync(CancellationToken.None);
        Assert.That(round.Failed, Is.False);
        Assert.That(round.Delivered, Is.GreaterThan(0), "the change reached the running workflow");
    }

    private async Task<TicketEventRow> WaitForEventAsync(long id, string type)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var found = (await Timeline.ListAsync(db, id)).FirstOrDefault(e => e.Type == type);
            if (found is not null)
                return found;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"No {type} for ticket {id} within 60 s.");
            await Task.Delay(100);
        }
    }

    private static async Task<SlaStatus> WaitForStateAsync(WorkflowHandle<SlaWorkflow, SlaOutcome> handle, Func<SlaStatus, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var status = await handle.QueryAsync(wf => wf.Status());
            if (done(status))
                return status;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"SLA state stayed {status} for 60 s.");
            await Task.Delay(100);
        }
    }

    private static DateTime PayloadTime(TicketEventRow e, string name) =>
        JsonNode.Parse(e.Payload)![name]!.GetValue<DateTime>().ToUniversalTime();

    [Test]
    public async Task A_p0_ticket_gets_its_warning_at_12_minutes_and_its_breach_at_15()
    {
        await WithWorkerAsync(async taskQueue =>
        {
            var created = await NowAsync();
            var id = await TicketAsync(created, "P0");
            var handle = await StartSlaAsync(id, taskQueue);
            await WaitForStateAsync(handle, s => s.State == SlaStates.Running);

            await Env.DelayAsync(Minutes(16));

            var warning = await WaitForEventAsync(id, EventTypes.SlaWarning);
            var breach = await WaitForEventAsync(id, EventTypes.SlaBreached);
            Assert.Multiple(() =>
            {
                Assert.That(warning.OccurredAt, Is.EqualTo(created + Minutes(12)).Within(Tolerance));
                Assert.That(breach.OccurredAt, Is.EqualTo(created + Minutes(15)).Within(Tolerance));
                Assert.That(PayloadTime(warning, "dueAt"), Is.EqualTo(created + Minutes(15)));
                Assert.That(PayloadTime(breach, "dueAt"), Is.EqualTo(created + Minutes(15)));
                Assert.That(JsonNode.Parse(breach.Payload)!["priority"]!.GetValue<string>(), Is.EqualTo("P0"));
            });
            var status = await handle.QueryAsync(wf => wf.Status());
            Assert.That(status.State, Is.EqualTo(SlaStates.Breached));
            Assert.That(await StateColumnAsync(id), Is.EqualTo(SlaStates.Breached));
            await RecordedHistories.RecordAsync(handle, RecordedHistories.SlaWarningThenBreach);
        });
    }

    [Test]
    public async Task Thirty_minutes_pending_moves_the_deadline_by_thirty_minutes()
    {
        await WithWorkerAsync(async taskQueue =>
        {
            var created = await NowAsync();
            var id = await TicketAsync(created, "P1");
            var handle = await StartSlaAsync(id, taskQueue);
            await WaitForStateAsync(handle, s => s.State == SlaStates.Running);

            await Env.DelayAsync(Minutes(10));
            await ChangeAndDispatchAsync(id, status: "pending");
            await WaitForStateAsync(handle, s => s.Paused);
            // The query answers as soon as the workflow paused; the column follows once its save activity ran.
            await WaitForStateColumnAsync(id, SlaStates.Paused);
            await Env.DelayAsync(Minutes(30));
            await ChangeAndDispatchAsync(id, status: "open");
            var status = await WaitForStateAsync(handle, s => !s.Paused);

            Assert.That(status.DueAt, Is.EqualTo(created + Minutes(90)).Within(Tolerance));
            Assert.That(status.WarningAt, Is.EqualTo(created + Minutes(78)).Within(Tolerance));
            var recalculated = await WaitForEventAsync(id, EventTypes.SlaRecalculated);
            var payload = JsonNode.Parse(recalculated.Payload)!;
            Assert.Multiple(() =>
            {
                Assert.That(payload["reason"]!.GetValue<string>(), Is.EqualTo("resumed"));
                Assert.That(PayloadTime(recalculated, "previousDueAt"), Is.EqualTo(created + Minutes(60)));
                Assert.That(PayloadTime(recalculated, "dueAt"), Is.EqualTo(created + Minutes(90)).Within(Tolerance));
                Assert.That(payload["pausedSeconds"]!.GetValue<double>(), Is.EqualTo(Minutes(30).TotalSeconds).Within(Tolerance.TotalSeconds));
            });
            await RecordedHistories.RecordAsync(handle, RecordedHistories.SlaPauseResume);
        });
    }

    [Test]
    public async Task Resolving_completes_the_workflow_with_met()
    {
        await WithWorkerAsync(async taskQueue =>
        {
            var created = await NowAsync();
            var id = await TicketAsync(created, "P1");
            var handle = await StartSlaAsync(id, taskQueue);
            await WaitForStateAsync(handle, s => s.State == SlaStates.Running);

            await Env.DelayAsync(Minutes(20));
            await ChangeAndDispatchAsync(id, status: "resolved");
            var outcome = await handle.GetResultAsync();

            Assert.That(outcome.Outcome, Is.EqualTo(SlaOutcomes.Met));
            var completed = await WaitForEventAsync(id, EventTypes.SlaCompleted);
            Assert.That(JsonNode.Parse(completed.Payload)!["outcome"]!.GetValue<string>(), Is.EqualTo("met"));
            Assert.That(await StateColumnAsync(id), Is.EqualTo(SlaStates.Completed));
            Assert.That(await CountAsync(id, EventTypes.SlaWarning), Is.Zero);
            await RecordedHistories.RecordAsync(handle, RecordedHistories.SlaResolve);
        });
    }

    [Test]
    public async Task After_its_change_budget_the_clock_continues_as_new_and_keeps_its_deadline()
    {
        continueAsNewAfterChanges = 2;
        try
        {
            await WithWorkerAsync(async taskQueue =>
            {
                var created = await NowAsync();
                var id = await TicketAsync(created, "P1");
                var handle = await StartSlaAsync(id, taskQueue);
                await WaitForStateAsync(handle, s => s.State == SlaStates.Running);

                await ChangeAndDispatchAsync(id, status: "pending");
                await WaitForStateAsync(handle, s => s.Paused);
                await Env.DelayAsync(Minutes(10));
                await ChangeAndDispatchAsync(id, status: "open");

                var latest = Env.Client.GetWorkflowHandle<SlaWorkflow, SlaOutcome>(WorkflowIds.Sla(id));
                await LiveTemporal.WaitForAsync(async () => (await latest.DescribeAsync()).RunId != handle.ResultRunId,
                    TimeSpan.FromSeconds(60), $"sla-{id} to continue as new after two changes");
                var carried = await WaitForStateAsync(latest, s => !s.Paused && s.DueAt is not null);
                Assert.That(carried.DueAt, Is.EqualTo(created + Minutes(70)).Within(Tolerance), "the pause is carried into the new run");

                await ChangeAndDispatchAsync(id, status: "resolved");
                var outcome = await latest.GetResultAsync();
                Assert.That(outcome.Outcome, Is.EqualTo(SlaOutcomes.Met));
                Assert.That(await CountAsync(id, EventTypes.SlaCompleted), Is.EqualTo(1));
                await RecordedHistories.RecordAsync(Env.Client.GetWorkflowHandle(WorkflowIds.Sla(id), runId: handle.ResultRunId), RecordedHistories.SlaContinueAsNewFirstRun);
                await RecordedHistories.RecordAsync(latest, RecordedHistories.SlaContinueAsNewSecondRun);
            });
        }
        finally
        {
            continueAsNewAfterChanges = 500;
        }
    }

    [Test]
    public async Task Raising_a_20_minute_old_p3_ticket_to_p0_breaches_at_once()
    {
        await WithWorkerAsync(async taskQueue =>
        {
            var now = await NowAsync();
            var created = now - Minutes(20);
            var id = await TicketAsync(created, "P3");
            var handle = await StartSlaAsync(id, taskQueue);
            await WaitForStateAsync(handle, s => s.State == SlaStates.Running);

            var changedAt = await NowAsync();
            await ChangeAndDispatchAsync(id, priority: "P0");
            var breach = await WaitForEventAsync(id, EventTypes.SlaBreached);

            Assert.Multiple(() =>
            {
                Assert.That(breach.OccurredAt, Is.EqualTo(changedAt).Within(Tolerance), "at once, not at a timer");
                Assert.That(PayloadTime(breach, "dueAt"), Is.EqualTo(created + Minutes(15)));
                Assert.That(JsonNode.Parse(breach.Payload)!["priority"]!.GetValue<string>(), Is.EqualTo("P0"));
            });
            Assert.That(await CountAsync(id, EventTypes.SlaWarning), Is.Zero, "only the breach is written when both fall due");
            Assert.That(await CountAsync(id, EventTypes.SlaRecalculated), Is.EqualTo(1));

            await ChangeAndDispatchAsync(id, status: "resolved");
            var outcome = await handle.GetResultAsync();
            Assert.That(outcome.Outcome, Is.EqualTo(SlaOutcomes.Breached));
            await RecordedHistories.RecordAsync(handle, RecordedHistories.SlaPriorityChange);
        });
    }

    private async Task WaitForStateColumnAsync(long id, string state)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        string? now;
        while ((now = await StateColumnAsync(id)) != state)
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"tickets.sla_state of {id} is {now ?? "null"}, not {state}, after 60 s.");
            await Task.Delay(50);
        }
    }

    private async Task<string?> StateColumnAsync(long id)
    {
        await using var cmd = db.CreateCommand("SELECT sla_state FROM tickets WHERE id = @id");
        cmd.Parameters.AddWithValue("id", id);
        return (string?)await cmd.ExecuteScalarAsync();
    }

    private async Task<long> CountAsync(long id, string type)
    {
        await using var cmd = db.CreateCommand("SELECT count(*) FROM ticket_events WHERE ticket_id = @id AND type = @type");
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("type", type);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
