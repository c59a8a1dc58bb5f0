using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using OpsDesk.Db;
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
/// SlaWorkflow (two targets: first response and resolution) on a real Temporal server with a real worker
/// over a database of its own, changes delivered by the real dispatcher. With the time-skipping test server the SLA minutes are real
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
        FirstResponseTargets = new(StringComparer.OrdinalIgnoreCase)
        {
            ["P0"] = Minutes(15),
            ["P1"] = Minutes(60),
            ["P2"] = Minutes(360),
            ["P3"] = Minutes(1440),
        },
        ResolutionTargets = new(StringComparer.OrdinalIgnoreCase)
        {
            ["P0"] = Minutes(240),
            ["P1"] = Minutes(1440),
            ["P2"] = Minutes(4320),
            ["P3"] = Minutes(10080),
        },
    };

    private readonly List<long> started = [];

    /// <summary>
    /// Runs <paramref name="body"/> with a worker for SlaWorkflow polling a task queue of its own; clocks the test
    /// left running are terminated at the end, so their timers (with no worker left) do not hold up the
    /// test server's time skipping in later tests.
    /// </summary>
    private async Task WithWorkerAsync(Func<string, Task> body)
    {
        var taskQueue = "sla-live-" + Guid.NewGuid().ToString("N")[..8];
        var activities = new SlaActivities(new SlaRepository(db), Microsoft.Extensions.Options.Options.Create(Options), NullLogger<SlaActivities>.Instance);
        using var worker = new TemporalWorker(Env.Client, new TemporalWorkerOptions(taskQueue).AddSlaWorkflow(activities));
        started.Clear();
        await worker.ExecuteAsync(async () =>
        {
            try
            {
                await body(taskQueue);
            }
            finally
            {
                foreach (var id in started)
                {
                    var handle = Env.Client.GetWorkflowHandle(WorkflowIds.Sla(id));
                    if ((await handle.DescribeAsync()).Status == Temporalio.Api.Enums.V1.WorkflowExecutionStatus.Running)
                        await handle.TerminateAsync("test over");
                }
            }
        });
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

    private Task<WorkflowHandle<SlaWorkflow, SlaOutcome>> StartSlaAsync(long id, string taskQueue)
    {
        started.Add(id);
        return Env.Client.StartWorkflowAsync((SlaWorkflow wf) => wf.RunAsync(new SlaInput(id)), new(WorkflowIds.Sla(id), taskQueue));
    }

    /// <summary>An agent's change, written the way the API writes it, then delivered by one dispatcher round.</summary>
    private async Task ChangeAndDispatchAsync(long id, string? status = null, string? priority = null)
    {
        var result = await new TicketChangeRepository(db).ChangeAsync(id, new TicketChange(status, priority));
        Assert.That(result.Outcome, Is.EqualTo(TicketChangeOutcome.Changed));
        await DispatchAsync();
    }

    /// <summary>A comment's timeline event (as the comment endpoint writes it), then one dispatcher round.</summary>
    private async Task CommentAndDispatchAsync(long id, CommentAuthorKind author, bool isPublic, bool delivered = true)
    {
        await SlaTickets.CommentEventAsync(db, id, author, isPublic);
        await DispatchAsync(expectDelivery: delivered);
    }

    private async Task DispatchAsync(bool expectDelivery = true)
    {
        var clients = new TemporalClientProvider(Microsoft.Extensions.Options.Options.Create(new TemporalOptions()), NullLogger<TemporalClientProvider>.Instance)
        {
            Override = Env.Client,
        };
        var dispatcher = new SlaChangeDispatcher(new SlaChangeFeed(db), new TemporalSlaSignaler(clients), db,
            Microsoft.Extensions.Options.Options.Create(new SlaOptions()), NullLogger<SlaChangeDispatcher>.Instance);
        var round = await dispatcher.RunOnceAsync(CancellationToken.None);
        Assert.That(round.Failed, Is.False);
        if (expectDelivery)
            Assert.That(round.Delivered, Is.GreaterThan(0), "the change reached the running workflow");
        else
            Assert.That(round.Read, Is.Zero, "nothing for the SLA clock to hear");
    }

    private async Task<IReadOnlyList<TicketEventRow>> EventsAsync(long id, string type, SlaTarget target) =>
        (await Timeline.ListAsync(db, id)).Where(e => e.Type == type && TargetOf(e) == WireNames.Of(target)).ToList();

    private static string? TargetOf(TicketEventRow e) => JsonNode.Parse(e.Payload)!["target"]?.GetValue<string>();

    private async Task<TicketEventRow> WaitForEventAsync(long id, string type, SlaTarget target)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var found = await EventsAsync(id, type, target);
            if (found.Count > 0)
                return found[0];
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"No {type} ({WireNames.Of(target)}) for ticket {id} within 60 s.");
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

    private static string PayloadString(TicketEventRow e, string name) => JsonNode.Parse(e.Payload)![name]!.GetValue<string>();

    [Test]
    public async Task An_unanswered_p0_ticket_gets_its_first_response_warning_at_12_minutes_and_breach_at_15()
    {
        await WithWorkerAsync(async taskQueue =>
        {
            var created = await NowAsync();
            var id = await TicketAsync(created, "P0");
            var handle = await StartSlaAsync(id, taskQueue);
            await WaitForStateAsync(handle, s => s.State == SlaStates.Running);

            await Env.DelayAsync(Minutes(16));

            var warning = await WaitForEventAsync(id, EventTypes.SlaWarning, SlaTarget.FirstResponse);
            var breach = await WaitForEventAsync(id, EventTypes.SlaBreached, SlaTarget.FirstResponse);
            Assert.Multiple(() =>
            {
                Assert.That(warning.OccurredAt, Is.EqualTo(created + Minutes(12)).Within(Tolerance), "80 % of 15 minutes");
                Assert.That(breach.OccurredAt, Is.EqualTo(created + Minutes(15)).Within(Tolerance), "100 %");
                Assert.That(PayloadTime(warning, "dueAt"), Is.EqualTo(created + Minutes(15)));
                Assert.That(PayloadTime(breach, "dueAt"), Is.EqualTo(created + Minutes(15)));
                Assert.That(PayloadString(breach, "targetDuration"), Is.EqualTo(System.Xml.XmlConvert.ToString(Minutes(15))));
                Assert.That(PayloadString(breach, "priority"), Is.EqualTo("P0"));
                Assert.That(PayloadString(breach, "state"), Is.EqualTo("breached"));
            });
            var status = await handle.QueryAsync(wf => wf.Status());
            Assert.That(status.State, Is.EqualTo(SlaStates.Breached));
            Assert.That(status.Columns!.Resolution.State, Is.EqualTo(SlaStates.Running), "the resolution clock (4 h) runs on");
            var row = await RowAsync(id);
            Assert.Multiple(() =>
            {
                Assert.That(row.SlaState, Is.EqualTo(SlaStates.Breached), "sla_state is the worst over both targets");
                Assert.That(row.SlaFirstResponseState, Is.EqualTo(SlaStates.Breached));
                Assert.That(row.SlaFirstResponseDueAt, Is.EqualTo(created + Minutes(15)));
                Assert.That(row.SlaResolutionState, Is.EqualTo(SlaStates.Running));
                Assert.That(row.SlaResolutionDueAt, Is.EqualTo(created + Minutes(240)));
            });
            Assert.That(await EventsAsync(id, EventTypes.SlaWarning, SlaTarget.Resolution), Is.Empty);
            await RecordedHistories.RecordAsync(handle, RecordedHistories.SlaUnansweredWarningThenBreach);
        });
    }

    [Test]
    public async Task A_reply_before_the_warning_meets_the_first_response_and_the_resolution_clock_runs_on()
    {
        await WithWorkerAsync(async taskQueue =>
        {
            var created = await NowAsync();
            var id = await TicketAsync(created, "P0");
            var handle = await StartSlaAsync(id, taskQueue);
            await WaitForStateAsync(handle, s => s.State == SlaStates.Running);

            await Env.DelayAsync(Minutes(5));
            // A requester's comment and an internal note are not a first response: nothing is delivered.
            await CommentAndDispatchAsync(id, CommentAuthorKind.Requester, isPublic: true, delivered: false);
            await CommentAndDispatchAsync(id, CommentAuthorKind.Agent, isPublic: false, delivered: false);
            await CommentAndDispatchAsync(id, CommentAuthorKind.Agent, isPublic: true);
            var met = await WaitForEventAsync(id, EventTypes.SlaCompleted, SlaTarget.FirstResponse);
            Assert.That(PayloadString(met, "outcome"), Is.EqualTo(SlaOutcomes.Met));
            Assert.That(met.OccurredAt, Is.EqualTo(created + Minutes(5)).Within(Tolerance));

            // A second public reply is not delivered (only the first is a first response).
            await CommentAndDispatchAsync(id, CommentAuthorKind.Agent, isPublic: true, delivered: false);
            await Env.DelayAsync(Minutes(20));
            Assert.That(await EventsAsync(id, EventTypes.SlaWarning, SlaTarget.FirstResponse), Is.Empty, "no first-response warning after the reply");
            Assert.That(await EventsAsync(id, EventTypes.SlaBreached, SlaTarget.FirstResponse), Is.Empty);
            var running = await handle.QueryAsync(wf => wf.Status());
            Assert.That(running.State, Is.EqualTo(SlaStates.Running), "the resolution clock still runs");

            await Env.DelayAsync(Minutes(220));
            var warning = await WaitForEventAsync(id, EventTypes.SlaWarning, SlaTarget.Resolution);
            var breach = await WaitForEventAsync(id, EventTypes.SlaBreached, SlaTarget.Resolution);
            Assert.Multiple(() =>
            {
                Assert.That(warning.OccurredAt, Is.EqualTo(created + Minutes(192)).Within(Tolerance), "80 % of 4 hours");
                Assert.That(breach.OccurredAt, Is.EqualTo(created + Minutes(240)).Within(Tolerance));
            });
            var row = await RowAsync(id);
            Assert.Multiple(() =>
            {
                Assert.That(row.SlaFirstResponseState, Is.EqualTo(SlaStates.Completed));
                Assert.That(row.SlaResolutionState, Is.EqualTo(SlaStates.Breached));
                Assert.That(row.SlaState, Is.EqualTo(SlaStates.Breached));
            });

            await ChangeAndDispatchAsync(id, status: "resolved");
            var outcome = await handle.GetResultAsync();
            Assert.That(outcome.FirstResponseOutcome, Is.EqualTo(SlaOutcomes.Met));
            Assert.That(outcome.Outcome, Is.EqualTo(SlaOutcomes.Breached));
            Assert.That(await CountAsync(id, EventTypes.SlaCompleted), Is.EqualTo(2), "one per target");
            await RecordedHistories.RecordAsync(handle, RecordedHistories.SlaReplyMeetsFirstResponse);
        });
    }

    [Test]
    public async Task Pending_pauses_the_resolution_clock_only()
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
            await WaitForColumnAsync(id, r => r.SlaResolutionState == SlaStates.Paused);
            await Env.DelayAsync(Minutes(60));

            // The first response (60 minutes) warned and breached while the ticket was pending.
            var warning = await WaitForEventAsync(id, EventTypes.SlaWarning, SlaTarget.FirstResponse);
            var breach = await WaitForEventAsync(id, EventTypes.SlaBreached, SlaTarget.FirstResponse);
            Assert.That(warning.OccurredAt, Is.EqualTo(created + Minutes(48)).Within(Tolerance));
            Assert.That(breach.OccurredAt, Is.EqualTo(created + Minutes(60)).Within(Tolerance));

            await ChangeAndDispatchAsync(id, status: "open");
            var status = await WaitForStateAsync(handle, s => !s.Paused);
            Assert.That(status.Columns!.Resolution.DueAt, Is.EqualTo(created + Minutes(1440 + 60)).Within(Tolerance), "moved by the hour pending");
            Assert.That(status.Columns.FirstResponse!.DueAt, Is.EqualTo(created + Minutes(60)), "not moved");
            var recalculated = await WaitForEventAsync(id, EventTypes.SlaRecalculated, SlaTarget.Resolution);
            var payload = JsonNode.Parse(recalculated.Payload)!;
            Assert.Multiple(() =>
            {
                Assert.That(payload["reason"]!.GetValue<string>(), Is.EqualTo("resumed"));
                Assert.That(PayloadTime(recalculated, "previousDueAt"), Is.EqualTo(created + Minutes(1440)));
                Assert.That(payload["pausedSeconds"]!.GetValue<double>(), Is.EqualTo(Minutes(60).TotalSeconds).Within(Tolerance.TotalSeconds));
            });
            Assert.That(await EventsAsync(id, EventTypes.SlaRecalculated, SlaTarget.FirstResponse), Is.Empty);
            var row = await RowAsync(id);
            Assert.That(row.SlaState, Is.EqualTo(SlaStates.Breached));
            Assert.That(row.SlaResolutionState, Is.EqualTo(SlaStates.Running));
            await RecordedHistories.RecordAsync(handle, RecordedHistories.SlaPendingPausesResolutionOnly);
        });
    }

    [Test]
    public async Task Resolving_an_unanswered_ticket_meets_both_targets()
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
            Assert.That(outcome.FirstResponseOutcome, Is.EqualTo(SlaOutcomes.Met));
            var first = await WaitForEventAsync(id, EventTypes.SlaCompleted, SlaTarget.FirstResponse);
            var resolution = await WaitForEventAsync(id, EventTypes.SlaCompleted, SlaTarget.Resolution);
            Assert.That(PayloadString(first, "outcome"), Is.EqualTo("met"));
            Assert.That(PayloadString(resolution, "outcome"), Is.EqualTo("met"));
            Assert.That(first.Id, Is.LessThan(resolution.Id), "the first response completes first");
            var row = await RowAsync(id);
            Assert.That(row.SlaState, Is.EqualTo(SlaStates.Completed));
            Assert.That(row.SlaFirstResponseState, Is.EqualTo(SlaStates.Completed));
            Assert.That(row.SlaResolutionState, Is.EqualTo(SlaStates.Completed));
            Assert.That(await CountAsync(id, EventTypes.SlaWarning), Is.Zero);
            await RecordedHistories.RecordAsync(handle, RecordedHistories.SlaResolveMeetsBoth);
        });
    }

    [Test]
    public async Task After_its_change_budget_the_clock_continues_as_new_and_keeps_both_targets()
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
                await CommentAndDispatchAsync(id, CommentAuthorKind.Agent, isPublic: true);

                var latest = Env.Client.GetWorkflowHandle<SlaWorkflow, SlaOutcome>(WorkflowIds.Sla(id));
                await LiveTemporal.WaitForAsync(async () => (await latest.DescribeAsync()).RunId != handle.ResultRunId,
                    TimeSpan.FromSeconds(60), $"sla-{id} to continue as new after two changes");
                var carried = await WaitForStateAsync(latest, s => s.Columns is not null);
                Assert.That(carried.Paused, Is.True, "the pause is carried into the new run");
                Assert.That(carried.Columns!.FirstResponse!.State, Is.EqualTo(SlaStates.Completed), "so is the met first response");

                await ChangeAndDispatchAsync(id, status: "open");
                var resumed = await WaitForStateAsync(latest, s => !s.Paused);
                Assert.That(resumed.Columns!.Resolution.DueAt, Is.EqualTo(created + Minutes(1450)).Within(Tolerance));
                await ChangeAndDispatchAsync(id, status: "resolved");
                var outcome = await latest.GetResultAsync();
                Assert.That(outcome.Outcome, Is.EqualTo(SlaOutcomes.Met));
                Assert.That(outcome.FirstResponseOutcome, Is.EqualTo(SlaOutcomes.Met));
                Assert.That(await CountAsync(id, EventTypes.SlaCompleted), Is.EqualTo(2));
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
    public async Task Raising_a_20_minute_old_p3_ticket_to_p0_breaches_its_first_response_at_once_and_moves_both_deadlines()
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
            var breach = await WaitForEventAsync(id, EventTypes.SlaBreached, SlaTarget.FirstResponse);
            var first = await WaitForEventAsync(id, EventTypes.SlaRecalculated, SlaTarget.FirstResponse);
            var resolution = await WaitForEventAsync(id, EventTypes.SlaRecalculated, SlaTarget.Resolution);

            Assert.Multiple(() =>
            {
                Assert.That(breach.OccurredAt, Is.EqualTo(changedAt).Within(Tolerance), "at once, not at a timer");
                Assert.That(PayloadTime(breach, "dueAt"), Is.EqualTo(created + Minutes(15)));
                Assert.That(PayloadString(breach, "priority"), Is.EqualTo("P0"));
                Assert.That(PayloadTime(first, "previousDueAt"), Is.EqualTo(created + Minutes(1440)));
                Assert.That(PayloadTime(resolution, "previousDueAt"), Is.EqualTo(created + Minutes(10080)));
                Assert.That(PayloadTime(resolution, "dueAt"), Is.EqualTo(created + Minutes(240)));
                Assert.That(PayloadString(resolution, "previousPriority"), Is.EqualTo("P3"));
            });
            Assert.That(await CountAsync(id, EventTypes.SlaWarning), Is.Zero, "only the breach is written when both fall due");
            Assert.That(await EventsAsync(id, EventTypes.SlaBreached, SlaTarget.Resolution), Is.Empty, "20 minutes of 4 hours");

            await ChangeAndDispatchAsync(id, status: "resolved");
            var outcome = await handle.GetResultAsync();
            Assert.That(outcome.FirstResponseOutcome, Is.EqualTo(SlaOutcomes.Breached));
            Assert.That(outcome.Outcome, Is.EqualTo(SlaOutcomes.Met));
            await RecordedHistories.RecordAsync(handle, RecordedHistories.SlaPriorityRaise);
        });
    }

    private async Task<TicketRow> RowAsync(long id) => (await new TicketRepository(db).GetAsync(id))!;

    private async Task WaitForColumnAsync(long id, Func<TicketRow, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!done(await RowAsync(id)))
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"The SLA columns of ticket {id} did not reach the expected state within 60 s.");
            await Task.Delay(50);
        }
    }

    private async Task<long> CountAsync(long id, string type)
    {
        await using var cmd = db.CreateCommand("SELECT count(*) FROM ticket_events WHERE ticket_id = @id AND type = @type");
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("type", type);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
