using Google.Protobuf.WellKnownTypes;
using OpsDesk.Tests.Support;
using OpsDesk.Tests.Workflows.Triage;
using OpsDesk.Worker.Commands;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.Workflow.V1;

namespace OpsDesk.Tests.Worker.Commands;

/// <summary><c>triage show</c>: the database part always, the Temporal part when it answers.</summary>
public sealed class TriageShowCommandTests
{
    private TriageCliTestData db = null!;

    [OneTimeSetUp]
    public void OpenDatabase() => db = new TriageCliTestData(TestDatabase.ConnectionString);

    [OneTimeTearDown]
    public async Task DisposeDatabase() => await db.DisposeAsync();

    private Task<CliRun.Result> ShowAsync(RecordingTemporalClient? temporal, long id, params string[] args) =>
        CliRun.RunAsync(temporal, db.ConnectionString, ["triage", "show", id.ToString(), .. args]);

    private static History History(HistoryBuilder builder)
    {
        var history = new History();
        history.Events.AddRange(builder.Build().Events);
        return history;
    }

    /// <summary>A ticket whose triage failed (recorded like the workflow does) with a running SLA clock.</summary>
    private async Task<(long Id, RecordingTemporalClient Temporal, string RunId)> FailedTicketWithSlaAsync()
    {
        var temporal = new RecordingTemporalClient();
        var runId = Guid.NewGuid().ToString();
        var id = await db.CreateFailedTicketAsync(runId, "unauthorized", 1, "Cannot log in after password reset");
        await db.ExecuteAsync(
            "UPDATE tickets SET sla_state = 'running', sla_due_at = '2026-01-02T09:00:00Z', sla_warning_at = '2026-01-02T07:00:00Z' WHERE id = @id", new { id });
        temporal.AddRun($"triage-{id}", WorkflowExecutionStatus.Failed, history: History(TriageHistories.PermanentFailure(id)), runId: runId);
        temporal.AddRun($"sla-{id}", WorkflowExecutionStatus.Running);
        return (id, temporal, runId);
    }

    [Test]
    public async Task Show_gives_workflow_status_attempts_last_failure_sla_and_link_as_json()
    {
        var (id, temporal, runId) = await FailedTicketWithSlaAsync();

        var result = await ShowAsync(temporal, id, "--output", "json");

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Ok), result.ToString());
        var json = result.Json;
        Assert.Multiple(() =>
        {
            Assert.That(json["ticket"]!["triageStatus"]!.GetValue<string>(), Is.EqualTo("failed"));
            Assert.That(json["ticket"]!["subject"]!.GetValue<string>(), Is.EqualTo("Cannot log in after password reset"));
            Assert.That(json["workflow"]!["status"]!.GetValue<string>(), Is.EqualTo("failed"));
            Assert.That(json["workflow"]!["runId"]!.GetValue<string>(), Is.EqualTo(runId));
            Assert.That(json["workflow"]!["url"]!.GetValue<string>(), Is.EqualTo($"http://localhost:8233/namespaces/default/workflows/triage-{id}/{runId}"));
            Assert.That(json["attempts"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(json["attemptsSource"]!.GetValue<string>(), Is.EqualTo("history"));
            Assert.That(json["lastFailure"]!["message"]!.GetValue<string>(), Is.EqualTo($"Triage of ticket #{id} failed: unauthorized"));
            Assert.That(json["lastFailure"]!["reason"]!.GetValue<string>(), Is.EqualTo("unauthorized"));
            Assert.That(json["sla"]!["state"]!.GetValue<string>(), Is.EqualTo("running"));
            Assert.That(json["sla"]!["dueAt"]!.GetValue<DateTime>(), Is.EqualTo(new DateTime(2026, 1, 2, 9, 0, 0, DateTimeKind.Utc)));
            Assert.That(json["sla"]!["workflowStatus"]!.GetValue<string>(), Is.EqualTo("running"));
            Assert.That(json["temporal"]!.GetValue<string>(), Is.EqualTo("ok"));
        });
        Assert.That(temporal.Described, Does.Contain($"triage-{id}").And.Contain($"sla-{id}"));
    }

    [Test]
    public async Task Show_of_a_running_triage_gives_the_attempt_and_last_failure_of_the_pending_classification()
    {
        var temporal = new RecordingTemporalClient();
        var id = await db.CreateTicketAsync();
        var run = temporal.AddRun($"triage-{id}", WorkflowExecutionStatus.Running);
        temporal.PendingActivities[$"triage-{id}"] = new PendingActivityInfo
        {
            ActivityId = "2",
            ActivityType = new Temporalio.Api.Common.V1.ActivityType { Name = "ClassifyTicket" },
            State = PendingActivityState.Scheduled,
            Attempt = 4,
            LastFailure = new Temporalio.Api.Failure.V1.Failure { Message = "openai classifier failed (rate_limited), will retry: 429" },
            LastAttemptCompleteTime = Timestamp.FromDateTime(new DateTime(2026, 1, 1, 9, 0, 30, DateTimeKind.Utc)),
        };

        var result = await ShowAsync(temporal, id, "--output", "json");

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Ok), result.ToString());
        var json = result.Json;
        Assert.Multiple(() =>
        {
            Assert.That(json["workflow"]!["status"]!.GetValue<string>(), Is.EqualTo("running"));
            Assert.That(json["workflow"]!["runId"]!.GetValue<string>(), Is.EqualTo(run.RunId));
            Assert.That(json["attempts"]!.GetValue<int>(), Is.EqualTo(4));
            Assert.That(json["attemptsSource"]!.GetValue<string>(), Is.EqualTo("pending activity ClassifyTicket"));
            Assert.That(json["lastFailure"]!["message"]!.GetValue<string>(), Does.Contain("429"));
        });
    }

    [Test]
    public async Task Show_counts_retries_from_the_timeline()
    {
        var (id, temporal, _) = await FailedTicketWithSlaAsync();
        await db.ExecuteAsync(
            "INSERT INTO ticket_events (ticket_id, type, payload, dedupe_key) VALUES (@id, 'ticket.triage_retried', '{}', 'retry-of:x')", new { id });

        var result = await ShowAsync(temporal, id, "--output", "json");

        Assert.That(result.Json["retries"]!.GetValue<int>(), Is.EqualTo(1));
    }

    [Test]
    public async Task Show_without_temporal_still_shows_what_the_database_knows()
    {
        var (id, _, _) = await FailedTicketWithSlaAsync();

        var result = await ShowAsync(null, id, "--output", "json");

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Ok), result.ToString());
        Assert.That(result.Err, Does.Contain("cannot reach Temporal"));
        var json = result.Json;
        Assert.Multiple(() =>
        {
            Assert.That(json["workflow"], Is.Null);
            Assert.That(json["temporal"]!.GetValue<string>(), Does.StartWith("unavailable"));
            Assert.That(json["attempts"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(json["attemptsSource"]!.GetValue<string>(), Is.EqualTo("timeline"));
            Assert.That(json["lastFailure"]!["message"]!.GetValue<string>(), Does.Contain("401"));
            Assert.That(json["sla"]!["state"]!.GetValue<string>(), Is.EqualTo("running"));
        });
    }

    [Test]
    public async Task Show_of_a_ticket_without_workflows_says_so()
    {
        var id = await db.CreateTicketAsync();

        var result = await ShowAsync(new RecordingTemporalClient(), id, "--output", "json");

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Ok), result.ToString());
        Assert.That(result.Json["temporal"]!.GetValue<string>(), Is.EqualTo($"no workflow triage-{id}"));
        Assert.That(result.Json["sla"]!["workflowStatus"]!.GetValue<string>(), Is.EqualTo("none"));
    }

    [Test]
    public async Task Show_of_an_unknown_ticket_exits_1()
    {
        var result = await ShowAsync(new RecordingTemporalClient(), 987654321);

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Failed));
        Assert.That(result.Err, Does.Contain("no such ticket: #987654321"));
    }

    [Test]
    public async Task Show_as_a_table_has_a_line_per_fact()
    {
        var (id, temporal, runId) = await FailedTicketWithSlaAsync();

        var result = await ShowAsync(temporal, id);

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Ok), result.ToString());
        Assert.That(result.Out, Does.Contain($"triage-{id} run {runId}: failed")
            .And.Contain("1 (history)")
            .And.Contain($"Triage of ticket #{id} failed: unauthorized")
            .And.Contain("running, due 2026-01-02 09:00:00 UTC")
            .And.Contain($"sla-{id}: running")
            .And.Contain($"/workflows/triage-{id}/{runId}"));
    }
}
