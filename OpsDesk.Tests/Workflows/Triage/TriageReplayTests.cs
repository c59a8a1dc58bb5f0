using OpsDesk.Tests.Support;
using OpsDesk.Workflows.Triage;

namespace OpsDesk.Tests.Workflows.Triage;

public sealed class TriageReplayTests
{
    [Test]
    public async Task Successful_triage_history_replays()
    {
        await Replay.AssertReplaysAsync(TriageHistories.Success(42).Build(), typeof(TriageWorkflow));
    }

    [Test]
    public async Task Transient_failures_then_success_history_replays()
    {
        await Replay.AssertReplaysAsync(TriageHistories.TransientThenSuccess(43).Build(), typeof(TriageWorkflow));
    }

    [Test]
    public async Task Permanent_failure_history_replays_recording_the_failure_and_failing_the_run()
    {
        await Replay.AssertReplaysAsync(TriageHistories.PermanentFailure(44).Build(), typeof(TriageWorkflow));
    }

    [Test]
    public async Task History_from_a_changed_workflow_is_reported_as_nondeterministic()
    {
        var result = await Replay.RunAsync(TriageHistories.FromAChangedWorkflow(45).Build(), typeof(TriageWorkflow));

        Assert.That(result.ReplayFailure, Is.Not.Null);
        Assert.That(result.ReplayFailure!.Message, Does.Contain("ondeterminis").IgnoreCase);
    }

    [Test]
    public async Task History_read_back_from_cli_json_replays()
    {
        var json = TriageHistories.Success(46).ToJson();

        var history = Temporalio.Common.WorkflowHistory.FromJson("triage-46", json);

        await Replay.AssertReplaysAsync(history, typeof(TriageWorkflow));
    }
}
