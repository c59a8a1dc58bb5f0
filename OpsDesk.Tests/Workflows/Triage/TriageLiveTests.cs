using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using OpsDesk.Db.Tickets;
using OpsDesk.Tests.Support;
using OpsDesk.Workflows;
using OpsDesk.Workflows.Temporal;
using OpsDesk.Workflows.Triage;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;
using Temporalio.Testing;

namespace OpsDesk.Tests.Workflows.Triage;

/// <summary>
/// The whole triage path against a real Temporal server: the real HTTP API starts the workflow, the
/// real worker host runs it over the real test database.
/// </summary>
[Category("Temporal")]
public sealed class TriageLiveTests : LiveTemporalFixture
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>The structured classification the fake provider answers once it works.</summary>
    private const string ClassificationJson = """{"summary":"Card charged but the order shows failed","category":"payments","priority":"P1","entities":[{"type":"order_id","value":"ORD-88231"}],"confidence":0.91,"language":"en","sentiment":"negative"}""";

    private static string NewTaskQueue() => "live-triage-" + Guid.NewGuid().ToString("N")[..8];

    private static Dictionary<string, string?> Settings(string taskQueue, params (string Key, string? Value)[] extra) =>
        LiveWorker.Settings(taskQueue, extra);

    [Test]
    public async Task Ticket_created_through_the_api_is_triaged_by_the_local_classifier_with_search_attributes()
    {
        var queue = NewTaskQueue();
        await using var worker = await LiveWorker.StartAsync(Env.Client, Settings(queue));
        await using var api = new ApiFactory(Settings(queue), temporal: Env.Client);
        using var http = api.CreateClient();

        var ticket = await Tickets.CreateAsync(http, new
        {
            subject = "Payment failed but money debited",
            description = "I tried paying ₹2,499 via UPI for order ORD-88231 and the app showed failed, but the amount was debited from my account. Transaction id 412345678901.",
            source = "web",
        });
        var id = ticket["id"]!.GetValue<long>();
        await LiveTemporal.StartedAsync(Env.Client, WorkflowIds.Triage(id));
        var handle = Env.Client.GetWorkflowHandle<TriageWorkflow>(WorkflowIds.Triage(id));
        var result = await handle.GetResultAsync<TriageResult>().WaitAsync(Patience);

        Assert.That(result.Provider, Is.EqualTo("local"));
        Assert.That(await TestDatabase.ScalarAsync<string>("SELECT triage_status FROM tickets WHERE id = @id", ("id", id)), Is.EqualTo("classified"));
        Assert.That(await TestDatabase.ScalarAsync<string>("SELECT provider FROM ticket_ai WHERE ticket_id = @id", ("id", id)), Is.EqualTo("local"));
        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM ticket_events WHERE ticket_id = @id AND type = 'ticket.classified'", ("id", id)), Is.EqualTo(1));

        var description = await handle.DescribeAsync();
        var attributes = description.TypedSearchAttributes;
        Assert.Multiple(() =>
        {
            Assert.That(description.Status, Is.EqualTo(WorkflowExecutionStatus.Completed));
            Assert.That(attributes.Get(OpsDeskSearchAttributes.TicketId), Is.EqualTo(id));
            Assert.That(attributes.Get(OpsDeskSearchAttributes.TriageState), Is.EqualTo(TriageStatuses.Classified));
            Assert.That(attributes.Get(OpsDeskSearchAttributes.TicketCategory), Is.EqualTo(result.Category));
            Assert.That(attributes.Get(OpsDeskSearchAttributes.TicketPriority), Is.EqualTo(result.Priority));
        });

        using var read = await http.GetAsync($"/api/tickets/{id}");
        var body = await Tickets.ReadAsync(read);
        Assert.That(body["ai"]!["provider"]!.GetValue<string>(), Is.EqualTo("local"));
        Assert.That(body["triageStatus"]!.GetValue<string>(), Is.EqualTo("classified"));
        await RecordedHistories.RecordAsync(handle, RecordedHistories.TriageSuccess);
    }

    [Test]
    public async Task A_provider_that_fails_twice_is_retried_and_the_ticket_classified_once()
    {
        await using var provider = await FakeChatCompletionsServer.StartAsync();
        provider.EnqueueStatus(500);
        provider.EnqueueStatus(429);
        provider.AnswerWhenScriptIsEmpty(ClassificationJson);
        var queue = NewTaskQueue();
        await using var worker = await LiveWorker.StartAsync(Env.Client, Settings(queue,
            ("Triage:Provider", "openai"), ("OpenAI:ApiKey", "sk-test"), ("OpenAI:Endpoint", provider.OpenAIEndpoint)));
        await using var api = new ApiFactory(Settings(queue), temporal: Env.Client);
        using var http = api.CreateClient();

        var id = (await Tickets.CreateAsync(http))["id"]!.GetValue<long>();
        await LiveTemporal.StartedAsync(Env.Client, WorkflowIds.Triage(id));
        var handle = Env.Client.GetWorkflowHandle<TriageWorkflow>(WorkflowIds.Triage(id));
        var result = await handle.GetResultAsync<TriageResult>().WaitAsync(Patience);

        Assert.Multiple(async () =>
        {
            Assert.That(result.Provider, Is.EqualTo("openai"));
            Assert.That(result.Category, Is.EqualTo("payments"));
            // Two transient failures, then answers; a slow attempt may time out and be tried again
            // (activities run at least once), which must still leave one result.
            Assert.That(provider.Requests, Has.Count.GreaterThanOrEqualTo(3), "two transient failures, then the answer");
            Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM ticket_ai WHERE ticket_id = @id", ("id", id)), Is.EqualTo(1));
            Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM ticket_events WHERE ticket_id = @id AND type = 'ticket.classified'", ("id", id)), Is.EqualTo(1));
            Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM ticket_events WHERE ticket_id = @id AND type = 'ticket.triage_failed'", ("id", id)), Is.Zero);
        });
        await RecordedHistories.RecordAsync(handle, RecordedHistories.TriageTransientThenSuccess);
    }

    [Test]
    public async Task Provider_answering_401_fails_the_workflow_records_triage_failed_and_still_starts_the_sla()
    {
        await using var provider = await FakeChatCompletionsServer.StartAsync();
        for (var i = 0; i < 10; i++)
            provider.EnqueueStatus(401, "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");
        var queue = NewTaskQueue();
        await using var worker = await LiveWorker.StartAsync(Env.Client, Settings(queue,
            ("Triage:Provider", "openai"), ("OpenAI:ApiKey", "sk-expired"), ("OpenAI:Endpoint", provider.OpenAIEndpoint)));
        await using var api = new ApiFactory(Settings(queue), temporal: Env.Client);
        using var http = api.CreateClient();

        var id = (await Tickets.CreateAsync(http))["id"]!.GetValue<long>();
        await LiveTemporal.StartedAsync(Env.Client, WorkflowIds.Triage(id));
        var handle = Env.Client.GetWorkflowHandle<TriageWorkflow>(WorkflowIds.Triage(id));
        var failure = Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync<TriageResult>().WaitAsync(Patience));

        Assert.That(failure!.InnerException?.Message, Does.Contain("unauthorized"));
        Assert.That((await handle.DescribeAsync()).Status, Is.EqualTo(WorkflowExecutionStatus.Failed));
        Assert.That(provider.Requests, Has.Count.EqualTo(1), "a 401 is not retried");
        Assert.That(await TestDatabase.ScalarAsync<string>("SELECT triage_status FROM tickets WHERE id = @id", ("id", id)), Is.EqualTo("failed"));
        Assert.That(await TestDatabase.ScalarAsync<string>(
            "SELECT payload->>'reason' FROM ticket_events WHERE ticket_id = @id AND type = 'ticket.triage_failed'", ("id", id)), Is.EqualTo("unauthorized"));
        var sla = await Env.Client.GetWorkflowHandle(WorkflowIds.Sla(id)).DescribeAsync();
        Assert.That(sla.Status, Is.EqualTo(WorkflowExecutionStatus.Running), "a failed triage still gets its SLA clock");
        await RecordedHistories.RecordAsync(handle, RecordedHistories.TriagePermanentFailure);
    }

    [Test]
    public async Task A_second_start_for_the_same_ticket_makes_no_second_run()
    {
        var queue = NewTaskQueue();
        await using var worker = await LiveWorker.StartAsync(Env.Client, Settings(queue));
        await using var api = new ApiFactory(Settings(queue), temporal: Env.Client);
        using var http = api.CreateClient();
        var id = (await Tickets.CreateAsync(http))["id"]!.GetValue<long>();
        await LiveTemporal.StartedAsync(Env.Client, WorkflowIds.Triage(id));
        var handle = Env.Client.GetWorkflowHandle<TriageWorkflow>(WorkflowIds.Triage(id));
        await handle.GetResultAsync().WaitAsync(Patience);
        var firstRun = (await handle.DescribeAsync()).RunId;

        var starter = api.Services.GetRequiredService<ITriageStarter>();
        var accepted = await starter.TryStartAsync(id, "web", CancellationToken.None);

        Assert.That(accepted, Is.True, "a completed triage counts as started");
        var latest = await Env.Client.GetWorkflowHandle(WorkflowIds.Triage(id)).DescribeAsync();
        Assert.That(latest.RunId, Is.EqualTo(firstRun));
        Assert.That(latest.Status, Is.EqualTo(WorkflowExecutionStatus.Completed));
        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM ticket_events WHERE ticket_id = @id AND type = 'ticket.classified'", ("id", id)), Is.EqualTo(1));
    }

    [Test]
    public async Task Ticket_created_while_temporal_was_unreachable_is_triaged_by_the_reconciler()
    {
        // A database of its own: this reconciler starts every ticket queued for a second, and the
        // shared database holds parallel tests' tickets that must stay queued.
        var connectionString = await TestDatabase.CreateIsolatedDatabaseAsync();
        await using var db = Npgsql.NpgsqlDataSource.Create(connectionString);
        async Task<string?> TriageStatusAsync(long ticketId)
        {
            await using var cmd = db.CreateCommand("SELECT triage_status FROM tickets WHERE id = @id");
            cmd.Parameters.AddWithValue("id", ticketId);
            return (string?)await cmd.ExecuteScalarAsync();
        }

        // Workflow ids come from ticket ids, which a database of its own starts again at 1: a server of its own too.
        await using var own = await LiveTemporal.StartOwnTestServerAsync(registerSearchAttributes: true);
        var env = own ?? Env;

        var queue = NewTaskQueue();
        long id;
        await using (var offlineApi = new ApiFactory(Settings(queue, ("Temporal:Address", $"127.0.0.1:{Ports.Free()}"), ("ConnectionStrings:OpsDesk", connectionString)), realStarter: true))
        {
            using var http = offlineApi.CreateClient(); // its agent key lives in the shared database: create anonymously
            http.DefaultRequestHeaders.Authorization = null;
            id = (await Tickets.CreateAsync(http))["id"]!.GetValue<long>();
        }

        Assert.That(await TriageStatusAsync(id), Is.EqualTo("queued"));

        await using var worker = await LiveWorker.StartAsync(env.Client, Settings(queue,
            ("Triage:ReconcileEverySeconds", "1"), ("Triage:ReconcileAfterSeconds", "1"), ("ConnectionStrings:OpsDesk", connectionString)));

        var triage = await LiveTemporal.StartedAsync(env.Client, WorkflowIds.Triage(id));
        var result = await triage.GetResultAsync<TriageResult>().WaitAsync(Patience);
        Assert.That(result.TicketId, Is.EqualTo(id));
        Assert.That(await TriageStatusAsync(id), Is.EqualTo("classified"), "the reconciler started it, the worker classified it");
    }
}
