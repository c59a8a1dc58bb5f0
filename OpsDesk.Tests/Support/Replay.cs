using Temporalio.Common;
using Temporalio.Worker;

namespace OpsDesk.Tests.Support;

/// <summary>Replays histories against the workflow code in this build, each with a hard timeout.</summary>
public static class Replay
{
    /// <summary>A malformed history can hang the native core; no replay may take longer than this.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static async Task<WorkflowReplayResult> RunAsync(WorkflowHistory history, params Type[] workflows)
    {
        var options = new WorkflowReplayerOptions();
        foreach (var workflow in workflows)
            options.AddWorkflow(workflow);
        var replayer = new WorkflowReplayer(options);
        return await replayer.ReplayWorkflowAsync(history, throwOnReplayFailure: false).WaitAsync(Timeout);
    }

    /// <summary>Replays and fails the test with the replay failure, if any.</summary>
    public static async Task AssertReplaysAsync(WorkflowHistory history, params Type[] workflows)
    {
        var result = await RunAsync(history, workflows);
        Assert.That(result.ReplayFailure, Is.Null, () => "replay failed: " + result.ReplayFailure);
    }
}
