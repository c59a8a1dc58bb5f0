using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Workflows;

/// <summary>
/// The histories real Temporal runs recorded (see <see cref="RecordedHistories"/>), replayed on this
/// build with no server: a change to TriageWorkflow or SlaWorkflow that running workflows could not
/// survive fails here.
/// </summary>
public sealed class RecordedHistoryReplayTests
{
    private static IEnumerable<string> Names => RecordedHistories.All.Concat(RecordedHistories.SingleTarget);

    [TestCaseSource(nameof(Names))]
    public async Task Recorded_history_replays_on_this_build(string name)
    {
        Assert.That(File.Exists(RecordedHistories.PathOf(name)), Is.True,
            $"{name}.json is committed (run the live suite with {RecordedHistories.Variable}=1 to record it)");

        await Replay.AssertReplaysAsync(RecordedHistories.Load(name), RecordedHistories.Workflows);
    }

    [TestCase(RecordedHistories.TriageSuccess, typeof(ReorderedTriageWorkflow))]
    [TestCase(RecordedHistories.TriagePermanentFailure, typeof(ReorderedTriageWorkflow))]
    [TestCase(RecordedHistories.SlaUnansweredWarningThenBreach, typeof(DelayedSlaWorkflow))]
    [TestCase(RecordedHistories.SlaContinueAsNewSecondRun, typeof(DelayedSlaWorkflow))]
    [TestCase(RecordedHistories.SingleTargetFolder + "/sla-warning-then-breach", typeof(DelayedSlaWorkflow))]
    [TestCase(RecordedHistories.SingleTargetFolder + "/sla-continue-as-new-second-run", typeof(DelayedSlaWorkflow))]
    public async Task A_deliberately_changed_workflow_fails_a_recorded_history(string name, Type changed)
    {
        var result = await Replay.RunAsync(RecordedHistories.Load(name), changed);

        Assert.That(result.ReplayFailure, Is.Not.Null, "the change went unnoticed");
        Assert.That(result.ReplayFailure!.Message, Does.Contain("ondeterminis").IgnoreCase);
    }

    [Test]
    public void Every_committed_recording_is_one_the_live_suite_makes()
    {
        var committed = Directory.GetFiles(Path.GetDirectoryName(RecordedHistories.PathOf("x"))!, "*.json")
            .Select(f => Path.GetFileNameWithoutExtension(f));

        Assert.That(committed, Is.EquivalentTo(RecordedHistories.All));
    }

    [Test]
    public void The_single_target_recordings_are_all_kept()
    {
        var committed = Directory.GetFiles(Path.GetDirectoryName(RecordedHistories.PathOf(RecordedHistories.SingleTargetFolder + "/x"))!, "*.json")
            .Select(f => RecordedHistories.SingleTargetFolder + "/" + Path.GetFileNameWithoutExtension(f));

        Assert.That(committed, Is.EquivalentTo(RecordedHistories.SingleTarget));
    }

}
