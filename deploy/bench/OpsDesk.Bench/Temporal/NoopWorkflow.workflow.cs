using Temporalio.Activities;
using Temporalio.Workflows;

namespace OpsDesk.Bench.Temporal;

/// <summary>
/// The physical ceiling beside which triage throughput is reported: a workflow that runs one activity
/// that does nothing, on the same server and task-queue machinery as TriageWorkflow.
/// </summary>
[Workflow("OpsDeskBenchNoopWorkflow")]
public sealed class NoopWorkflow
{
    private static readonly ActivityOptions Once = new() { StartToCloseTimeout = TimeSpan.FromSeconds(30) };

    [WorkflowRun]
    public async Task<long> RunAsync(long n)
    {
        await Workflow.ExecuteActivityAsync(() => NoopActivities.Noop(n), Once);
        return n;
    }
}

/// <summary>The no-op activity of <see cref="NoopWorkflow"/>.</summary>
public static class NoopActivities
{
    [Activity("OpsDeskBenchNoop")]
    public static long Noop(long n) => n;
}
