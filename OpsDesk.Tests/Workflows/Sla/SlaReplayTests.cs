using OpsDesk.Tests.Support;
using OpsDesk.Workflows.Sla;

namespace OpsDesk.Tests.Workflows.Sla;

public sealed class SlaReplayTests
{
    [Test]
    public async Task Warning_then_breach_then_resolve_history_replays()
    {
        await Replay.AssertReplaysAsync(SlaHistories.WarnThenBreach(101).Build(), typeof(SlaWorkflow));
    }

    [Test]
    public async Task Resolve_before_the_warning_history_replays()
    {
        await Replay.AssertReplaysAsync(SlaHistories.ResolveBeforeWarning(102).Build(), typeof(SlaWorkflow));
    }

    [Test]
    public async Task Pause_and_resume_history_replays()
    {
        await Replay.AssertReplaysAsync(SlaHistories.PauseAndResume(103).Build(), typeof(SlaWorkflow));
    }

    [Test]
    public async Task Priority_raised_after_the_warning_history_replays_with_an_immediate_breach()
    {
        await Replay.AssertReplaysAsync(SlaHistories.PriorityUpAfterWarning(104).Build(), typeof(SlaWorkflow));
    }

    [Test]
    public async Task Continue_as_new_history_replays_and_so_does_the_run_after_it()
    {
        await Replay.AssertReplaysAsync(SlaHistories.ContinueAsNewFirstRun(105).Build(), typeof(SlaWorkflow));
        await Replay.AssertReplaysAsync(SlaHistories.ContinueAsNewSecondRun(105).Build(), typeof(SlaWorkflow));
    }

    [Test]
    public async Task A_redelivered_change_history_replays_without_applying_it_twice()
    {
        await Replay.AssertReplaysAsync(SlaHistories.RedeliveredChange(106).Build(), typeof(SlaWorkflow));
    }

    [Test]
    public async Task A_history_that_applied_a_redelivered_change_is_rejected_as_nondeterministic()
    {
        var result = await Replay.RunAsync(SlaHistories.RedeliveredChangeAppliedTwice(107).Build(), typeof(SlaWorkflow));

        Assert.That(result.ReplayFailure, Is.Not.Null);
    }
}
