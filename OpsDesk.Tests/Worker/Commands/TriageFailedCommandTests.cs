using OpsDesk.Tests.Support;
using OpsDesk.Worker.Commands;
using Temporalio.Api.Enums.V1;
using Temporalio.Exceptions;

namespace OpsDesk.Tests.Worker.Commands;

/// <summary><c>triage failed</c> over a database of its own (the listing sees every ticket) and a scripted Temporal.</summary>
public sealed class TriageFailedCommandTests
{
    private TriageCliTestData db = null!;

    [SetUp]
    public async Task CreateDatabase() => db = new TriageCliTestData(await TestDatabase.CreateIsolatedDatabaseAsync());

    [TearDown]
    public async Task DisposeDatabase() => await db.DisposeAsync();

    private Task<CliRun.Result> FailedAsync(RecordingTemporalClient? temporal, params string[] args) =>
        CliRun.RunAsync(temporal, db.ConnectionString, ["triage", "failed", .. args]);

    [Test]
    public async Task Failed_triages_come_from_visibility_joined_with_subject_reason_and_attempts_from_the_database()
    {
        var temporal = new RecordingTemporalClient();
        var failedRun = Guid.NewGuid().ToString();
        var id = await db.CreateFailedTicketAsync(failedRun, "unauthorized", attempts: 1, subject: "Refund for order ORD-88231 never arrived after two weeks");
        temporal.AddRun($"triage-{id}", WorkflowExecutionStatus.Failed, DateTime.UtcNow.AddMinutes(-5), runId: failedRun);

        var result = await FailedAsync(temporal, "--output", "json");

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Ok), result.ToString());
        Assert.That(result.Json["source"]!.GetValue<string>(), Is.EqualTo("visibility"));
        var item = result.Json["items"]!.AsArray().Single(i => i!["ticketId"]!.GetValue<long>() == id)!;
        Assert.Multiple(() =>
        {
            Assert.That(item["subject"]!.GetValue<string>(), Is.EqualTo("Refund for order ORD-88231 never arrived after two weeks"));
            Assert.That(item["reason"]!.GetValue<string>(), Is.EqualTo("unauthorized"));
            Assert.That(item["attempts"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(item["runId"]!.GetValue<string>(), Is.EqualTo(failedRun));
            Assert.That(item["url"]!.GetValue<string>(), Is.EqualTo($"http://localhost:8233/namespaces/default/workflows/triage-{id}/{failedRun}"));
        });
        Assert.That(temporal.ListQueries.Single(), Does.StartWith("WorkflowType='TriageWorkflow' AND ExecutionStatus='Failed' AND CloseTime > '"));
    }

    [Test]
    public async Task A_failure_that_a_later_retry_fixed_is_not_listed()
    {
        var temporal = new RecordingTemporalClient();
        var oldRun = Guid.NewGuid().ToString();
        var fixedId = await db.CreateFailedTicketAsync(oldRun);
        await db.ExecuteAsync("UPDATE tickets SET triage_status = 'classified' WHERE id = @fixedId", new { fixedId });
        temporal.AddRun($"triage-{fixedId}", WorkflowExecutionStatus.Failed, runId: oldRun);
        var stillFailed = await db.CreateFailedTicketAsync("run-b");
        temporal.AddRun($"triage-{stillFailed}", WorkflowExecutionStatus.Failed, runId: "run-b");

        var result = await FailedAsync(temporal, "--output", "json");

        var ids = result.Json["items"]!.AsArray().Select(i => i!["ticketId"]!.GetValue<long>()).ToList();
        Assert.That(ids, Is.EqualTo(new[] { stillFailed }));
    }

    [Test]
    public async Task When_visibility_fails_the_database_is_the_source_and_stderr_says_so()
    {
        var temporal = new RecordingTemporalClient { ListError = new RpcException(RpcException.StatusCode.Unavailable, "visibility store unavailable", null) };
        var runId = Guid.NewGuid().ToString();
        var id = await db.CreateFailedTicketAsync(runId, "schema", attempts: 3);
        await db.CreateTicketAsync(); // queued: not a failure

        var result = await FailedAsync(temporal, "--output", "json");

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Ok), result.ToString());
        Assert.That(result.Err, Does.Contain("Temporal visibility unavailable").And.Contain("visibility store unavailable").And.Contain("from the database"));
        Assert.That(result.Json["source"]!.GetValue<string>(), Is.EqualTo("database"));
        var items = result.Json["items"]!.AsArray();
        Assert.That(items, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(items[0]!["ticketId"]!.GetValue<long>(), Is.EqualTo(id));
            Assert.That(items[0]!["reason"]!.GetValue<string>(), Is.EqualTo("schema"));
            Assert.That(items[0]!["attempts"]!.GetValue<int>(), Is.EqualTo(3));
            Assert.That(items[0]!["url"]!.GetValue<string>(), Does.EndWith($"/workflows/triage-{id}/{runId}"));
        });
    }

    [Test]
    public async Task When_temporal_is_unreachable_the_database_is_the_source()
    {
        var id = await db.CreateFailedTicketAsync(Guid.NewGuid().ToString());

        var result = await FailedAsync(null, "--output", "json");

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Ok), result.ToString());
        Assert.That(result.Err, Does.Contain("cannot reach Temporal"));
        Assert.That(result.Json["source"]!.GetValue<string>(), Is.EqualTo("database"));
        Assert.That(result.Json["items"]![0]!["ticketId"]!.GetValue<long>(), Is.EqualTo(id));
    }

    [Test]
    public async Task Since_limits_the_database_listing_to_recent_failures()
    {
        var recent = await db.CreateFailedTicketAsync(Guid.NewGuid().ToString());
        var old = await db.CreateTicketAsync();
        await db.ExecuteAsync(
            """
            UPDATE tickets SET triage_status = 'failed', updated_at = now() - interval '3 days' WHERE id = @old;
            INSERT INTO ticket_events (ticket_id, type, payload, dedupe_key, occurred_at)
            VALUES (@old, 'ticket.triage_failed', '{"reason":"refusal","message":"m","attempts":1,"runId":"r-old"}', 'run:r-old', now() - interval '3 days');
            """, new { old });

        var day = await FailedAsync(null, "--since", "24h", "--output", "json");
        var week = await FailedAsync(null, "--since", "7d", "--output", "json");

        Assert.That(day.Json["items"]!.AsArray().Select(i => i!["ticketId"]!.GetValue<long>()), Is.EqualTo(new[] { recent }));
        Assert.That(week.Json["items"]!.AsArray().Select(i => i!["ticketId"]!.GetValue<long>()), Is.EqualTo(new[] { recent, old }));
    }

    [Test]
    public async Task Limit_caps_the_listing_newest_first()
    {
        await db.CreateFailedTicketAsync("r1");
        await db.CreateFailedTicketAsync("r2");
        var newest = await db.CreateFailedTicketAsync("r3");

        var result = await FailedAsync(null, "--limit", "1", "--output", "json");

        Assert.That(result.Json["items"]!.AsArray().Select(i => i!["ticketId"]!.GetValue<long>()), Is.EqualTo(new[] { newest }));
    }

    [Test]
    public async Task The_table_cuts_long_subjects_and_shows_reason_attempts_and_link()
    {
        var temporal = new RecordingTemporalClient();
        var id = await db.CreateFailedTicketAsync("run-t", "unauthorized", 2, subject: "A very long subject line that goes on and on about a payment problem");
        temporal.AddRun($"triage-{id}", WorkflowExecutionStatus.Failed, runId: "run-t");

        var result = await FailedAsync(temporal);

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Ok), result.ToString());
        Assert.That(result.Out, Does.Contain("A very long subject line that goes on a…"));
        Assert.That(result.Out, Does.Not.Contain("payment problem"));
        Assert.That(result.Out, Does.Contain("unauthorized").And.Contain($"#{id}").And.Contain($"/workflows/triage-{id}/run-t"));
        Assert.That(result.Out, Does.Contain("1 failed triage(s) in the last 24h (source: visibility)"));
    }

    [Test]
    public async Task No_failures_is_said_plainly_and_exits_0()
    {
        var result = await FailedAsync(new RecordingTemporalClient());

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Ok));
        Assert.That(result.Out, Does.Contain("No failed triages in the last 24h"));
    }
}
