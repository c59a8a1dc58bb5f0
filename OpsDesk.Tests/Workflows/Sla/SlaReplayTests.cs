using OpsDesk.Tests.Support;
using OpsDesk.Tests.Workflows;
using OpsDesk.Workflows.Sla;

namespace OpsDesk.Tests.Workflows.Sla;

/// <summary>
/// Hand-built SLA histories for what a live run cannot produce: a redelivered change. Everything a run
/// can record is replayed from recordings (<see cref="RecordedHistoryReplayTests"/>).
/// </summary>
public sealed class SlaReplayTests
{
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
