using System.Net;
using System.Text.Json.Nodes;
using OpsDesk.Db.Events;
using OpsDesk.Db.Sla;
using OpsDesk.Tests.Support;
using OpsDesk.Workflows;
using OpsDesk.Workflows.Sla;
using OpsDesk.Workflows.Temporal;
using OpsDesk.Workflows.Triage;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Testing;

namespace OpsDesk.Tests.Worker.Hosting;

/// <summary>
/// The real worker host — Temporal worker, reconciler, SLA dispatcher and outbox relay in one
/// process — with the real API, against Temporal's test server: the paths a deployment takes.
/// </summary>
[Category("Temporal")]
public sealed class WorkerHostLiveTests : LiveTemporalFixture
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private const string ClassificationJson = """{"summary":"Card charged but the order shows failed","category":"payments","priority":"P1","entities":[],"confidence":0.9,"language":"en","sentiment":"negative"}""";

    private static Dictionary<string, string?> Settings(string taskQueue, params (string Key, string? Value)[] extra) =>
        LiveWorker.Settings(taskQueue, [("Sla:DispatchEverySeconds", "1"), .. extra]);

    private static string NewTaskQueue() => "live-host-" + Guid.NewGuid().ToString("N")[..8];

    private static Task<string> TriageStatusAsync(long id) =>
        TestDatabase.ScalarAsync<string>("SELECT triage_status FROM tickets WHERE id = @id", ("id", id));

    private static Task<long> CountAsync(long id, string type) =>
        TestDatabase.ScalarAsync<long>("SELECT count(*) FROM ticket_events WHERE ticket_id = @id AND type = @type", ("id", id), ("type", type));

    private static async Task PatchAsync(HttpClient http, long id, string json)
    {
        using var response = await http.PatchAsync($"/api/tickets/{id}", Tickets.Json(json));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    private static async Task<SlaStatus> WaitForSlaAsync(WorkflowHandle sla, Func<SlaStatus, bool> done, string what)
    {
        SlaStatus? status = null;
        await LiveTemporal.WaitForAsync(async () =>
        {
            status = await sla.QueryAsync<SlaStatus>("Status", []);
            return done(status);
        }, Patience, what);
        return status!;
    }

    [Test]
    public async Task Pending_through_the_api_pauses_the_sla_open_moves_its_deadline_and_resolve_completes_it()
    {
        var queue = NewTaskQueue();
        await using var worker = await LiveWorker.StartAsync(Env.Client, Settings(queue));
        await using var api = new ApiFactory(Settings(queue), temporal: Env.Client);
        using var http = api.CreateClient();
        var id = (await Tickets.CreateAsync(http))["id"]!.GetValue<long>();
        await (await LiveTemporal.StartedAsync(Env.Client, WorkflowIds.Triage(id))).GetResultAsync().WaitAsync(Patience);
        var sla = Env.Client.GetWorkflowHandle(WorkflowIds.Sla(id));
        var running = await WaitForSlaAsync(sla, s => s.State == SlaStates.Running, $"sla-{id} to run");

        // Real time, not skipped: the pause is bracketed by what the test saw on the server's clock.
        var pendingAsked = await Env.GetCurrentTimeAsync();
        await PatchAsync(http, id, """{"status":"pending"}""");
        await WaitForSlaAsync(sla, s => s.Paused, $"the dispatcher to pause sla-{id}");
        var pausedSeen = await Env.GetCurrentTimeAsync();
        await LiveTemporal.WaitForAsync(async () => await Env.GetCurrentTimeAsync() - pausedSeen >= TimeSpan.FromSeconds(5),
            Patience, "five seconds pending");
        var openAsked = await Env.GetCurrentTimeAsync();
        await PatchAsync(http, id, """{"status":"open"}""");
        var resumed = await WaitForSlaAsync(sla, s => !s.Paused, $"the dispatcher to resume sla-{id}");
        var resumedSeen = await Env.GetCurrentTimeAsync();

        // Pending pauses the resolution target (the first response runs on).
        var moved = resumed.Columns!.Resolution.DueAt - running.Columns!.Resolution.DueAt;
        Assert.That(moved, Is.InRange(openAsked - pausedSeen, resumedSeen - pendingAsked), "the resolution deadline moved by the time spent pending");
        Assert.That(resumed.Columns.FirstResponse!.DueAt, Is.EqualTo(running.Columns.FirstResponse!.DueAt), "the first-response deadline did not");
        await LiveTemporal.WaitForAsync(async () => await CountAsync(id, EventTypes.SlaRecalculated) == 1, Patience, $"sla.recalculated of ticket {id}");

        await PatchAsync(http, id, """{"status":"resolved"}""");
        var outcome = await sla.GetResultAsync<SlaOutcome>().WaitAsync(Patience);

        Assert.That(outcome.Outcome, Is.EqualTo(SlaOutcomes.Met));
        Assert.That(outcome.FirstResponseOutcome, Is.EqualTo(SlaOutcomes.Met), "resolving meets an unanswered first response");
        await LiveTemporal.WaitForAsync(async () => await CountAsync(id, EventTypes.SlaCompleted) == 2, Patience, $"sla.completed (both targets) of ticket {id}");
        var completed = await TestDatabase.ScalarAsync<string>(
            "SELECT payload::text FROM ticket_events WHERE ticket_id = @id AND type = 'sla.completed' AND payload->>'target' = 'resolution'", ("id", id));
        Assert.That(JsonNode.Parse(completed!)!["outcome"]!.GetValue<string>(), Is.EqualTo("met"));
    }

    [Test]
    public async Task A_worker_killed_during_classify_and_started_again_triages_the_ticket_exactly_once()
    {
        // Killed workers leave cached workflows behind that would hold up a shared server's clock.
        await using var own = await LiveTemporal.StartOwnTestServerAsync(registerSearchAttributes: true);
        var env = own ?? Env;
        await using var provider = await FakeChatCompletionsServer.StartAsync();
        // The first attempt hangs until its worker is gone; the retry gets the answer.
        provider.EnqueueCompletion(ClassificationJson, delay: TimeSpan.FromMinutes(10));
        provider.AnswerWhenScriptIsEmpty(ClassificationJson);
        var queue = NewTaskQueue();
        var settings = Settings(queue,
            ("Temporal:Address", env.Client.Connection.Options.TargetHost),
            ("Triage:Provider", "openai"), ("OpenAI:ApiKey", "sk-test"), ("OpenAI:Endpoint", provider.OpenAIEndpoint));
        // A real server hands a dead worker's sticky queue back to the shared queue after the sticky
        // timeout (5 s); the test server never does, so the first worker keeps no workflow cache.
        await using var first = WorkerProcess.Start(new Dictionary<string, string?>(settings) { ["Temporal:MaxCachedWorkflows"] = "0" });
        await first.WaitUntilPollingAsync(Patience);
        await using var api = new ApiFactory(Settings(queue), temporal: env.Client);
        using var http = api.CreateClient();

        var id = (await Tickets.CreateAsync(http))["id"]!.GetValue<long>();
        await LiveTemporal.WaitForAsync(() => Task.FromResult(provider.Requests.Count >= 1), Patience, "the classify activity to call the provider");
        await first.KillAsync();
        var triage = await LiveTemporal.StartedAsync(env.Client, WorkflowIds.Triage(id));
        await using var second = WorkerProcess.Start(settings);
        await second.WaitUntilPollingAsync(Patience);

        // The lost attempt stops heartbeating, times out after the heartbeat timeout, and the new worker retries it.
        TriageResult result;
        try
        {
            result = await triage.GetResultAsync<TriageResult>().WaitAsync(TimeSpan.FromMinutes(2));
        }
        catch (TimeoutException)
        {
            var d = await env.Client.Connection.WorkflowService.DescribeWorkflowExecutionAsync(new()
            {
                Namespace = env.Client.Options.Namespace,
                Execution = new() { WorkflowId = triage.Id },
            });
            Assert.Fail($"now {await env.GetCurrentTimeAsync():O}; pending: {string.Join("; ", d.PendingActivities)}\n--- second worker\n{second.Output}");
            throw;
        }

        Assert.That(result.Provider, Is.EqualTo("openai"));
        Assert.That(provider.Requests, Has.Count.EqualTo(2), "one lost attempt, one retry");
        Assert.Multiple(async () =>
        {
            Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM ticket_ai WHERE ticket_id = @id", ("id", id)), Is.EqualTo(1));
            Assert.That(await CountAsync(id, "ticket.classified"), Is.EqualTo(1));
            Assert.That(await TriageStatusAsync(id), Is.EqualTo("classified"));
        });
        var slaHandle = env.Client.GetWorkflowHandle(WorkflowIds.Sla(id));
        var sla = await slaHandle.DescribeAsync();
        var slaStarted = (await slaHandle.FetchHistoryAsync()).Events.First().WorkflowExecutionStartedEventAttributes;
        Assert.That(sla.Status, Is.EqualTo(WorkflowExecutionStatus.Running));
        Assert.That(slaStarted.FirstExecutionRunId, Is.EqualTo(sla.RunId), "one sla run, never a second");
    }

    [Test]
    public async Task A_development_worker_registers_its_search_attributes_polls_classifies_and_is_ready()
    {
        // A server of its own that nobody registered anything on, and that has no ListSearchAttributes.
        await using var own = await LiveTemporal.StartOwnTestServerAsync(registerSearchAttributes: false);
        if (own is null)
            Assert.Ignore("needs a test server of its own (OPSDESK_TEST_TEMPORAL_TEST_SERVER): a shared server has its search attributes already");
        var bare = own;
        var queue = NewTaskQueue();
        await using var worker = await LiveWorker.StartAsync(bare.Client, Settings(queue), environment: "Development");
        await using var api = new ApiFactory(Settings(queue), temporal: bare.Client);
        using var http = api.CreateClient();

        var id = (await Tickets.CreateAsync(http))["id"]!.GetValue<long>();
        var handle = await LiveTemporal.StartedAsync(bare.Client, WorkflowIds.Triage(id));
        await handle.GetResultAsync<TriageResult>().WaitAsync(Patience);

        Assert.That(await TriageStatusAsync(id), Is.EqualTo("classified"));
        Assert.That((await handle.DescribeAsync()).TypedSearchAttributes.Get(OpsDeskSearchAttributes.TicketId), Is.EqualTo(id));
        using var health = new HttpClient { BaseAddress = worker.BaseAddress };
        using var ready = await health.GetAsync("/health/ready");
        var body = await ready.Content.ReadAsStringAsync();
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        Assert.That(JsonNode.Parse(body)!["status"]!.GetValue<string>(), Is.EqualTo("Healthy"), body);
    }
}
