using OpsDesk.Tests.Support;
using OpsDesk.Tests.Workflows.Triage;
using OpsDesk.Worker.Commands;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;

namespace OpsDesk.Tests.Worker.Commands;

/// <summary><c>triage replay</c> against committed history files and histories fetched through the client.</summary>
public sealed class TriageReplayCommandTests
{
    private static Task<CliRun.Result> ReplayAsync(RecordingTemporalClient? temporal, params string[] args) =>
        CliRun.RunAsync(temporal, null, ["triage", "replay", .. args, "--output", "json"]);

    private static Task<CliRun.Result> ReplayFilesAsync(params string[] fixtures) =>
        ReplayAsync(null, [.. fixtures.SelectMany(f => new[] { "--history", HistoryFixtures.PathOf(f) })]);

    [Test]
    public async Task History_written_by_the_temporal_cli_replays_and_exits_0()
    {
        var result = await ReplayFilesAsync(HistoryFixtures.Success);

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Ok), result.ToString());
        var item = result.Json["items"]![0]!;
        Assert.Multiple(() =>
        {
            Assert.That(item["passed"]!.GetValue<bool>(), Is.True);
            Assert.That(item["workflowId"]!.GetValue<string>(), Is.EqualTo("triage-101"), "taken from the file name");
            Assert.That(item["workflowType"]!.GetValue<string>(), Is.EqualTo("TriageWorkflow"));
            Assert.That(item["events"]!.GetValue<int>(), Is.GreaterThan(10));
            Assert.That(result.Json["passed"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(result.Json["failed"]!.GetValue<int>(), Is.EqualTo(0));
        });
    }

    [Test]
    public async Task A_temporal_ui_download_with_ui_enum_names_replays()
    {
        var result = await ReplayFilesAsync(HistoryFixtures.UiDownload);

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Ok), result.ToString());
        Assert.That(result.Json["items"]![0]!["workflowId"]!.GetValue<string>(), Is.EqualTo("triage-103"), "from triage-103_events.json");
    }

    [Test]
    public async Task A_temporal_ui_download_wrapped_in_a_history_object_replays_with_the_id_of_its_started_event()
    {
        var result = await ReplayFilesAsync(HistoryFixtures.UiDownloadWrapped);

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Ok), result.ToString());
        Assert.That(result.Json["items"]![0]!["workflowId"]!.GetValue<string>(), Is.EqualTo("triage-104"), "the file name names no workflow");
    }

    [Test]
    public async Task A_history_from_a_changed_workflow_fails_with_the_nondeterminism_message_and_exits_1()
    {
        var result = await ReplayFilesAsync(HistoryFixtures.Nondeterministic);

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Failed), result.ToString());
        var item = result.Json["items"]![0]!;
        Assert.That(item["passed"]!.GetValue<bool>(), Is.False);
        Assert.That(item["error"]!.GetValue<string>(), Does.Contain("ondeterminism").IgnoreCase);
    }

    [Test]
    public async Task Malformed_json_fails_that_file_with_a_clear_error_and_exits_1()
    {
        var result = await ReplayFilesAsync(HistoryFixtures.Malformed);

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Failed), result.ToString());
        Assert.That(result.Json["items"]![0]!["error"]!.GetValue<string>(), Does.StartWith("malformed JSON:"));
    }

    [Test]
    public async Task An_empty_file_fails_with_a_clear_error_and_exits_1()
    {
        var result = await ReplayFilesAsync(HistoryFixtures.Empty);

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Failed), result.ToString());
        Assert.That(result.Json["items"]![0]!["error"]!.GetValue<string>(), Does.Contain("the file is empty"));
    }

    [Test]
    public async Task A_missing_file_fails_and_exits_1()
    {
        var result = await ReplayAsync(null, "--history", Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".json"));

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Failed));
        Assert.That(result.Json["items"]![0]!["error"]!.GetValue<string>(), Is.EqualTo("file not found"));
    }

    [Test]
    public async Task Json_that_is_not_a_history_fails_with_what_was_expected()
    {
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".json");
        await File.WriteAllTextAsync(path, """{"workflowId": "triage-1"}""");
        try
        {
            var result = await ReplayAsync(null, "--history", path);

            Assert.That(result.ExitCode, Is.EqualTo(Cli.Failed));
            Assert.That(result.Json["items"]![0]!["error"]!.GetValue<string>(), Does.StartWith("not a workflow history"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public async Task Every_file_is_reported_and_one_failure_makes_the_exit_code_1()
    {
        var result = await ReplayFilesAsync(HistoryFixtures.Success, HistoryFixtures.Malformed, HistoryFixtures.UiDownload, HistoryFixtures.Nondeterministic);

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Failed));
        var passed = result.Json["items"]!.AsArray().Select(i => i!["passed"]!.GetValue<bool>()).ToList();
        Assert.That(passed, Is.EqualTo(new[] { true, false, true, false }));
    }

    [Test]
    public async Task The_table_says_pass_or_fail_per_history_and_counts_them()
    {
        var result = await CliRun.RunAsync(null, null,
            ["triage", "replay", "--history", HistoryFixtures.PathOf(HistoryFixtures.Success), "--history", HistoryFixtures.PathOf(HistoryFixtures.Nondeterministic)]);

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Failed));
        Assert.That(result.Out, Does.Contain("pass").And.Contain("FAIL").And.Contain("1 passed, 1 failed").And.Contain("TriageWorkflow"));
    }

    [Test]
    public async Task A_workflow_id_given_on_the_command_line_names_the_history()
    {
        var result = await ReplayAsync(null, "--history", HistoryFixtures.PathOf(HistoryFixtures.UiDownloadWrapped), "--workflow-id", "triage-777");

        Assert.That(result.Json["items"]![0]!["workflowId"]!.GetValue<string>(), Is.EqualTo("triage-777"));
    }

    [Test]
    public async Task Replay_registers_the_workflows_found_in_the_workflows_assembly()
    {
        var result = await ReplayFilesAsync(HistoryFixtures.Success);

        var workflows = result.Json["workflows"]!.AsArray().Select(w => w!.GetValue<string>()).ToList();
        Assert.That(workflows, Does.Contain("TriageWorkflow"));
    }

    [Test]
    public async Task Ticket_replay_fetches_the_history_of_its_triage_workflow_from_the_server()
    {
        var temporal = new RecordingTemporalClient();
        temporal.AddRun("triage-201", WorkflowExecutionStatus.Completed, history: History(TriageHistories.Success(201)));
        temporal.AddRun("triage-202", WorkflowExecutionStatus.Completed, history: History(TriageHistories.FromAChangedWorkflow(202)));

        var result = await ReplayAsync(temporal, "--ticket", "201", "--ticket", "202");

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Failed), result.ToString());
        var items = result.Json["items"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(items[0]!["source"]!.GetValue<string>(), Is.EqualTo("ticket #201"));
            Assert.That(items[0]!["passed"]!.GetValue<bool>(), Is.True);
            Assert.That(items[1]!["passed"]!.GetValue<bool>(), Is.False);
            Assert.That(items[1]!["error"]!.GetValue<string>(), Does.Contain("ondeterminism").IgnoreCase);
        });
    }

    [Test]
    public async Task Ticket_replay_of_a_ticket_without_a_workflow_fails_saying_so()
    {
        var result = await ReplayAsync(new RecordingTemporalClient(), "--ticket", "203");

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Failed));
        Assert.That(result.Json["items"]![0]!["error"]!.GetValue<string>(), Is.EqualTo("no workflow triage-203 on the server"));
    }

    [Test]
    public async Task Ticket_replay_without_temporal_exits_1_with_the_connection_error()
    {
        var result = await ReplayAsync(null, "--ticket", "204");

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Failed));
        Assert.That(result.Err, Does.Contain("cannot reach Temporal"));
    }

    [Test]
    public async Task Query_replay_lists_the_workflows_and_replays_each_run()
    {
        var temporal = new RecordingTemporalClient();
        var first = temporal.AddRun("triage-205", WorkflowExecutionStatus.Failed, history: History(TriageHistories.PermanentFailure(205)));
        var second = temporal.AddRun("triage-206", WorkflowExecutionStatus.Failed, history: History(TriageHistories.PermanentFailure(206)));
        const string query = "WorkflowType='TriageWorkflow' AND ExecutionStatus='Failed'";

        var result = await ReplayAsync(temporal, "--query", query);

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Ok), result.ToString());
        Assert.That(temporal.ListQueries, Does.Contain(query));
        var runs = result.Json["items"]!.AsArray().Select(i => i!["runId"]!.GetValue<string>()).ToList();
        Assert.That(runs, Is.EquivalentTo(new[] { first.RunId, second.RunId }));
    }

    private static History History(HistoryBuilder builder)
    {
        var history = new History();
        history.Events.AddRange(builder.Build().Events);
        return history;
    }
}
