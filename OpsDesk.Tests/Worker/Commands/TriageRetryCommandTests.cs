using OpsDesk.Db.Events;
using OpsDesk.Tests.Support;
using OpsDesk.Worker.Commands;
using OpsDesk.Workflows.Triage;
using Temporalio.Api.Enums.V1;
using Temporalio.Exceptions;

namespace OpsDesk.Tests.Worker.Commands;

/// <summary><c>triage retry</c> over the real database (a database of its own) and a recording Temporal client.</summary>
public sealed class TriageRetryCommandTests
{
    private TriageCliTestData db = null!;
    private RecordingTemporalClient temporal = null!;

    [SetUp]
    public async Task CreateDatabase()
    {
        db = new TriageCliTestData(await TestDatabase.CreateIsolatedDatabaseAsync());
        temporal = new RecordingTemporalClient();
    }

    [TearDown]
    public async Task DisposeDatabase() => await db.DisposeAsync();

    private Task<CliRun.Result> RetryAsync(params string[] args) => RetryWithInputAsync("", false, args);

    private Task<CliRun.Result> RetryWithInputAsync(string stdin, bool interactive, params string[] args) =>
        CliRun.RunAsync(temporal, db.ConnectionString, ["triage", "retry", .. args, .. (args.Contains("--rate") ? Array.Empty<string>() : ["--rate", "1000"])], stdin, interactive);

    /// <summary>A ticket whose latest triage run failed, in the database and in Temporal.</summary>
    private async Task<(long Id, string RunId)> FailedTicketAsync(string reason = "unauthorized")
    {
        var runId = Guid.NewGuid().ToString();
        var id = await db.CreateFailedTicketAsync(runId, reason);
        temporal.AddRun($"triage-{id}", WorkflowExecutionStatus.Failed, DateTime.UtcNow.AddMinutes(-2), runId: runId);
        return (id, runId);
    }

    [Test]
    public async Task Retry_starts_a_new_run_with_the_policies_that_never_double_a_triage()
    {
        var (id, _) = await FailedTicketAsync();

        var result = await RetryAsync(id.ToString());

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Ok), result.ToString());
        var start = temporal.Starts.Single();
        Assert.Multiple(() =>
        {
            Assert.That(start.Workflow, Is.EqualTo(TriageWorkflowStart.Name));
            Assert.That(start.Options.Id, Is.EqualTo($"triage-{id}"));
            Assert.That(start.Options.TaskQueue, Is.EqualTo("opsdesk"));
            Assert.That(start.Options.IdReusePolicy, Is.EqualTo(WorkflowIdReusePolicy.AllowDuplicateFailedOnly));
            Assert.That(start.Options.IdConflictPolicy, Is.EqualTo(WorkflowIdConflictPolicy.UseExisting));
            Assert.That(start.Args.Single(), Is.EqualTo(new TriageInput(id, "web")));
        });
        Assert.That(result.Out, Does.Contain("Started 1, skipped 0, errors 0."));
    }

    [Test]
    public async Task Retry_records_triage_retried_and_queues_the_ticket()
    {
        var (id, previousRun) = await FailedTicketAsync();

        var result = await RetryAsync(id.ToString(), "--reason", "provider key rotated");

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Ok), result.ToString());
        Assert.That(await db.TriageStatusAsync(id), Is.EqualTo("queued"));
        var (payload, dedupeKey) = (await db.EventsAsync(id, EventTypes.TriageRetried)).Single();
        Assert.Multiple(() =>
        {
            Assert.That(payload["previousRunId"]!.GetValue<string>(), Is.EqualTo(previousRun));
            Assert.That(payload["requestedBy"]!.GetValue<string>(), Is.EqualTo(CliRun.Operator));
            Assert.That(payload["reason"]!.GetValue<string>(), Is.EqualTo("provider key rotated"));
            Assert.That(dedupeKey, Is.EqualTo("retry-of:" + previousRun));
        });
    }

    [Test]
    public async Task Dry_run_writes_nothing_and_starts_nothing()
    {
        var (id, previousRun) = await FailedTicketAsync();
        var eventsBefore = await db.EventCountAsync(id);

        var result = await RetryAsync(id.ToString(), "--dry-run", "--output", "json");

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Ok), result.ToString());
        Assert.That(temporal.Starts, Is.Empty);
        Assert.That(await db.EventCountAsync(id), Is.EqualTo(eventsBefore));
        Assert.That(await db.TriageStatusAsync(id), Is.EqualTo("failed"));
        var item = result.Json["items"]![0]!;
        Assert.Multiple(() =>
        {
            Assert.That(result.Json["dryRun"]!.GetValue<bool>(), Is.True);
            Assert.That(item["outcome"]!.GetValue<string>(), Is.EqualTo("would_start"));
            Assert.That(item["previousRunId"]!.GetValue<string>(), Is.EqualTo(previousRun));
            Assert.That(item["previousStatus"]!.GetValue<string>(), Is.EqualTo("failed"));
        });
    }

    [Test]
    public async Task Running_completed_and_unknown_tickets_are_skipped_with_their_reasons_in_the_summary()
    {
        var running = await db.CreateTicketAsync();
        temporal.AddRun($"triage-{running}", WorkflowExecutionStatus.Running);
        var completed = await db.CreateTicketAsync();
        temporal.AddRun($"triage-{completed}", WorkflowExecutionStatus.Completed);
        var (failed, _) = await FailedTicketAsync();
        const long unknown = 987654321;

        var result = await RetryAsync(running.ToString(), completed.ToString(), failed.ToString(), unknown.ToString(), "--yes", "--output", "json");

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Ok), result.ToString());
        var json = result.Json;
        var outcomes = json["items"]!.AsArray().ToDictionary(i => i!["ticketId"]!.GetValue<long>(), i => (i!["outcome"]!.GetValue<string>(), i["reason"]?.GetValue<string>()));
        Assert.Multiple(() =>
        {
            Assert.That(outcomes[running], Is.EqualTo(("skipped", "running")));
            Assert.That(outcomes[completed], Is.EqualTo(("skipped", "already completed")));
            Assert.That(outcomes[unknown], Is.EqualTo(("skipped", "no such ticket")));
            Assert.That(outcomes[failed], Is.EqualTo(("started", (string?)null)));
            Assert.That(json["summary"]!["started"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(json["summary"]!["skipped"]!["running"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(json["summary"]!["skipped"]!["already completed"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(json["summary"]!["skipped"]!["no such ticket"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(json["summary"]!["errors"]!.GetValue<int>(), Is.EqualTo(0));
        });
        Assert.That(temporal.Starts.Select(s => s.Options.Id), Is.EqualTo(new[] { $"triage-{failed}" }));
        Assert.That(await db.EventCountAsync(running, EventTypes.TriageRetried), Is.EqualTo(0));
        Assert.That(await db.EventCountAsync(completed, EventTypes.TriageRetried), Is.EqualTo(0));
    }

    [Test]
    public async Task The_table_summary_names_each_skip_reason()
    {
        var running = await db.CreateTicketAsync();
        temporal.AddRun($"triage-{running}", WorkflowExecutionStatus.Running);
        var (failed, _) = await FailedTicketAsync();

        var result = await RetryAsync(running.ToString(), failed.ToString(), "--yes");

        Assert.That(result.Out, Does.Contain("Started 1, skipped 1 (running: 1), errors 0."));
        Assert.That(result.Out, Does.Contain($"#{running}").And.Contain($"#{failed}"));
        Assert.That(result.Out, Does.Not.Contain("Retrying"), "no progress bar when stdout is not a terminal");
    }

    [Test]
    public async Task A_second_retry_of_the_same_ticket_is_skipped_while_the_new_run_is_running()
    {
        var (id, _) = await FailedTicketAsync();

        var first = await RetryAsync(id.ToString());
        var second = await RetryAsync(id.ToString(), "--output", "json");

        Assert.That(first.ExitCode, Is.EqualTo(Cli.Ok), first.ToString());
        Assert.That(second.ExitCode, Is.EqualTo(Cli.Ok), second.ToString());
        Assert.That(second.Json["items"]![0]!["reason"]!.GetValue<string>(), Is.EqualTo("running"));
        Assert.That(temporal.Starts, Has.Count.EqualTo(1));
        Assert.That(await db.EventCountAsync(id, EventTypes.TriageRetried), Is.EqualTo(1));
    }

    [Test]
    public async Task A_failed_ticket_that_never_had_a_workflow_gets_a_first_run()
    {
        var id = await db.CreateFailedTicketAsync("never-started");

        var result = await RetryAsync(id.ToString(), "--output", "json");

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Ok), result.ToString());
        Assert.That(temporal.Starts.Single().Options.Id, Is.EqualTo($"triage-{id}"));
        Assert.That(result.Json["items"]![0]!["previousRunId"], Is.Null);
        Assert.That((await db.EventsAsync(id, EventTypes.TriageRetried)).Single().DedupeKey, Does.StartWith("retry-of:event-"));
    }

    [Test]
    public async Task A_run_that_completed_between_describe_and_start_is_skipped_as_completed()
    {
        var (id, _) = await FailedTicketAsync();
        temporal.StartError = new WorkflowAlreadyStartedException("Workflow execution already finished successfully", $"triage-{id}", "TriageWorkflow", "r");

        var result = await RetryAsync(id.ToString(), "--output", "json");

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Ok), result.ToString());
        Assert.That(result.Json["items"]![0]!["reason"]!.GetValue<string>(), Is.EqualTo("already completed"));
    }

    [Test]
    public async Task A_start_that_fails_is_an_error_and_leaves_the_ticket_queued_for_the_reconciler()
    {
        var (id, _) = await FailedTicketAsync();
        temporal.StartError = new RpcException(RpcException.StatusCode.Unavailable, "frontend unavailable", null);

        var result = await RetryAsync(id.ToString(), "--output", "json");

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Failed), result.ToString());
        Assert.Multiple(async () =>
        {
            Assert.That(result.Json["summary"]!["errors"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(result.Json["items"]![0]!["reason"]!.GetValue<string>(), Does.Contain("frontend unavailable").And.Contain("reconciler"));
            Assert.That(await db.TriageStatusAsync(id), Is.EqualTo("queued"));
        });
    }

    [Test]
    public async Task Retrying_the_same_failed_run_again_after_an_error_records_one_event()
    {
        var (id, _) = await FailedTicketAsync();
        temporal.StartError = new RpcException(RpcException.StatusCode.Unavailable, "frontend unavailable", null);
        await RetryAsync(id.ToString());

        var again = await RetryAsync(id.ToString());

        Assert.That(again.ExitCode, Is.EqualTo(Cli.Ok), again.ToString());
        Assert.That(temporal.Starts, Has.Count.EqualTo(1));
        Assert.That(await db.EventCountAsync(id, EventTypes.TriageRetried), Is.EqualTo(1));
    }

    [Test]
    public async Task Bulk_retry_without_yes_when_stdin_is_not_interactive_is_bad_usage_and_changes_nothing()
    {
        var (id, _) = await FailedTicketAsync();

        var result = await RetryAsync("--all-failed");

        Assert.That(result.ExitCode, Is.EqualTo(Cli.BadUsage), result.ToString());
        Assert.That(result.Err, Does.Contain("--yes").And.Contain("not interactive"));
        Assert.That(temporal.Starts, Is.Empty);
        Assert.That(await db.EventCountAsync(id, EventTypes.TriageRetried), Is.EqualTo(0));
    }

    [Test]
    public async Task Bulk_retry_asks_first_and_a_no_retries_nothing()
    {
        var (a, _) = await FailedTicketAsync();
        var (b, _) = await FailedTicketAsync();

        var result = await RetryWithInputAsync("n\n", true, a.ToString(), b.ToString());

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Ok), result.ToString());
        Assert.That(result.Err, Does.Contain("Retry the triage of 2 ticket(s)? [y/N]").And.Contain("Cancelled"));
        Assert.That(temporal.Starts, Is.Empty);
    }

    [Test]
    public async Task Bulk_retry_confirmed_with_yes_on_stdin_starts_each()
    {
        var (a, _) = await FailedTicketAsync();
        var (b, _) = await FailedTicketAsync();

        var result = await RetryWithInputAsync("y\n", true, a.ToString(), b.ToString());

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Ok), result.ToString());
        Assert.That(temporal.Starts.Select(s => s.Options.Id), Is.EquivalentTo(new[] { $"triage-{a}", $"triage-{b}" }));
    }

    [Test]
    public async Task All_failed_retries_every_failed_triage_that_visibility_lists()
    {
        var (a, _) = await FailedTicketAsync();
        var (b, _) = await FailedTicketAsync();
        await db.CreateTicketAsync(); // queued, no workflow: not failed

        var result = await RetryAsync("--all-failed", "--yes", "--output", "json");

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Ok), result.ToString());
        Assert.That(temporal.ListQueries, Has.Count.EqualTo(1));
        Assert.That(temporal.Starts.Select(s => s.Options.Id), Is.EquivalentTo(new[] { $"triage-{a}", $"triage-{b}" }));
        Assert.That(result.Json["summary"]!["started"]!.GetValue<int>(), Is.EqualTo(2));
    }

    [Test]
    public async Task All_failed_dry_run_lists_what_would_start_without_asking()
    {
        var (a, _) = await FailedTicketAsync();

        var result = await RetryAsync("--all-failed", "--dry-run");

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Ok), result.ToString());
        Assert.That(result.Out, Does.Contain($"#{a}").And.Contain("would start").And.Contain("Dry run: would start 1, skipped 0. Nothing was written or started."));
        Assert.That(temporal.Starts, Is.Empty);
    }

    [Test]
    public async Task Bulk_retries_keep_to_the_rate_limit()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
            ids.Add((await FailedTicketAsync()).Id.ToString());
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // 4 per second: the third start is at least half a second after the first.
        var result = await RetryAsync([.. ids, "--yes", "--rate", "4"]);

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Ok), result.ToString());
        Assert.That(temporal.Starts, Has.Count.EqualTo(3));
        Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(0.5)));
    }

    [Test]
    public async Task Bulk_retries_on_a_terminal_draw_a_progress_bar_then_the_summary()
    {
        var (a, _) = await FailedTicketAsync();
        var (b, _) = await FailedTicketAsync();

        var result = await CliRun.RunAsync(temporal, db.ConnectionString, ["triage", "retry", a.ToString(), b.ToString(), "--yes", "--rate", "1000"], terminal: true);

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Ok), result.ToString());
        Assert.That(result.Out, Does.Contain("Retrying").And.Contain("100%"));
        Assert.That(result.Out, Does.Contain("Started 2, skipped 0, errors 0."));
    }

    [Test]
    public async Task Retry_without_temporal_exits_1_and_writes_nothing()
    {
        var (id, _) = await FailedTicketAsync();

        var result = await CliRun.RunAsync(null, db.ConnectionString, ["triage", "retry", id.ToString()]);

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Failed));
        Assert.That(result.Err, Does.Contain("cannot reach Temporal"));
        Assert.That(await db.EventCountAsync(id, EventTypes.TriageRetried), Is.EqualTo(0));
    }
}
