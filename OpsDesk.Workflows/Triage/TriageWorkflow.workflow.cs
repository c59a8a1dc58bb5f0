using OpsDesk.Db.Tickets;
using OpsDesk.Workflows.Kb;
using OpsDesk.Workflows.Sla;
using OpsDesk.Workflows.Temporal;
using OpsDesk.Workflows.Triage.Classifiers;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace OpsDesk.Workflows.Triage;

/// <summary>
/// Triages one ticket (id <c>triage-{ticketId}</c>): mark running, classify, save — then hand the
/// ticket to its SLA clock. A permanent failure is recorded on the timeline and fails the run, so it
/// shows as Failed in the UI and can be re-run (the id reuse policy allows a new run after a failure).
/// </summary>
[Workflow(TriageWorkflowStart.Name)]
public sealed class TriageWorkflow
{
    /// <summary>The patch that added knowledge-base retrieval (and cited classification) before classify.</summary>
    public const string RetrievePatch = "triage-retrieve";

    [WorkflowRun]
    public async Task<TriageResult> RunAsync(TriageInput input)
    {
        var id = input.TicketId;
        Workflow.UpsertTypedSearchAttributes(
            OpsDeskSearchAttributes.TicketId.ValueSet(id),
            OpsDeskSearchAttributes.TriageState.ValueSet(TriageStatuses.Running));

        // Recorded histories hold this activity's old result (the ticket); a result is not a
        // command, so those histories replay unchanged.
        await Workflow.ExecuteActivityAsync(
            (TriageActivities a) => a.StartTriageAsync(id),
            TriagePolicy.Database($"Load ticket #{id} and mark triage running"));

        // Retrieval before classification is a new command: runs recorded before it replay without it.
        IReadOnlyList<KbCitation>? citations = null;
        if (Workflow.Patched(RetrievePatch))
        {
            citations = await Workflow.ExecuteActivityAsync(
                (TriageActivities a) => a.RetrieveArticlesAsync(id),
                TriagePolicy.Database($"Retrieve knowledge-base articles for ticket #{id}"));
        }

        Classification classification;
        try
        {
            classification = citations is null
                ? await Workflow.ExecuteActivityAsync(
                    (TriageActivities a) => a.ClassifyTicketAsync(id),
                    TriagePolicy.Classify($"Classify ticket #{id}"))
                : await Workflow.ExecuteActivityAsync(
                    (TriageActivities a) => a.ClassifyTicketWithArticlesAsync(new ClassifyInput(id, citations)),
                    TriagePolicy.Classify($"Classify ticket #{id} with {citations.Count} article(s)"));
        }
        catch (ActivityFailureException failure)
        {
            var reason = TriageFailure.From(failure);
            await Workflow.ExecuteActivityAsync(
                (TriageActivities a) => a.RecordTriageFailureAsync(new RecordFailureInput(id, reason.Reason, reason.Message, reason.Attempts)),
                TriagePolicy.Database($"Record triage failure of ticket #{id} ({reason.Reason})"));
            Workflow.UpsertTypedSearchAttributes(OpsDeskSearchAttributes.TriageState.ValueSet(TriageStatuses.Failed));
            // A ticket whose triage failed still gets an SLA, at the default priority.
            await StartSlaAsync(id);
            throw new ApplicationFailureException($"Triage of ticket #{id} failed: {reason.Reason}: {reason.Message}", "TriageFailed", nonRetryable: true);
        }

        await Workflow.ExecuteActivityAsync(
            (TriageActivities a) => a.SaveClassificationAsync(new SaveClassificationInput(id, classification, citations)),
            TriagePolicy.Database($"Save triage of ticket #{id}: {classification.Category}/{classification.Priority}"));

        Workflow.UpsertTypedSearchAttributes(
            OpsDeskSearchAttributes.TicketPriority.ValueSet(classification.Priority),
            OpsDeskSearchAttributes.TicketCategory.ValueSet(classification.Category),
            OpsDeskSearchAttributes.TriageState.ValueSet(TriageStatuses.Classified));
        await StartSlaAsync(id);

        return new TriageResult(id, classification.Category, classification.Priority, classification.Provider, classification.Confidence);
    }

    /// <summary>
    /// Hands the ticket to its SLA clock: a child that outlives this workflow. A re-run of a failed
    /// triage finds the clock already running, which is fine.
    /// </summary>
    private static async Task StartSlaAsync(long ticketId)
    {
        try
        {
            await Workflow.StartChildWorkflowAsync(
                (SlaWorkflow wf) => wf.RunAsync(new SlaInput(ticketId, null)),
                new ChildWorkflowOptions
                {
                    Id = WorkflowIds.Sla(ticketId),
                    ParentClosePolicy = ParentClosePolicy.Abandon,
                    StaticSummary = $"SLA clock of ticket #{ticketId}",
                });
        }
        catch (WorkflowAlreadyStartedException)
        {
            // sla-{id} is already watching this ticket.
        }
    }
}
