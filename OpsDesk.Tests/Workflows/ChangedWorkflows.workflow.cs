using OpsDesk.Workflows.Sla;
using OpsDesk.Workflows.Triage;
using OpsDesk.Workflows.Triage.Classifiers;
using Temporalio.Workflows;

namespace OpsDesk.Tests.Workflows;

/// <summary>
/// TriageWorkflow as someone might carelessly change it: classify before marking the ticket running.
/// Registered under the real name, so replaying a recorded history on it must fail.
/// </summary>
[Workflow(TriageWorkflowStart.Name)]
public sealed class ReorderedTriageWorkflow
{
    [WorkflowRun]
    public async Task<TriageResult> RunAsync(TriageInput input)
    {
        var id = input.TicketId;
        Classification c = await Workflow.ExecuteActivityAsync(
            (TriageActivities a) => a.ClassifyTicketAsync(id), TriagePolicy.Classify("classify first"));
        await Workflow.ExecuteActivityAsync((TriageActivities a) => a.StartTriageAsync(id), TriagePolicy.Database("then start"));
        await Workflow.ExecuteActivityAsync(
            (TriageActivities a) => a.SaveClassificationAsync(new SaveClassificationInput(id, c)), TriagePolicy.Database("save"));
        return new TriageResult(id, c.Category, c.Priority, c.Provider, c.Confidence);
    }
}

/// <summary>SlaWorkflow changed to start with a timer before it loads the ticket.</summary>
[Workflow(SlaWorkflow.Name)]
public sealed class DelayedSlaWorkflow
{
    [WorkflowRun]
    public async Task<SlaOutcome> RunAsync(SlaInput input)
    {
        await Workflow.DelayAsync(TimeSpan.FromSeconds(1));
        var loaded = await Workflow.ExecuteActivityAsync(
            (SlaActivities a) => a.LoadTicketAsync(input.TicketId),
            new ActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(30) });
        return new SlaOutcome(input.TicketId, SlaOutcomes.Met, loaded.Priority ?? "P2", Workflow.UtcNow, Workflow.UtcNow, TimeSpan.Zero);
    }
}
