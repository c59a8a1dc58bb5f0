using OpsDesk.Db.Tickets;
using OpsDesk.Tests.Support;
using OpsDesk.Workflows;
using OpsDesk.Workflows.Temporal;
using OpsDesk.Workflows.Triage;
using OpsDesk.Workflows.Triage.Classifiers;
using Temporalio.Common;

namespace OpsDesk.Tests.Workflows.Triage;

/// <summary>Histories of TriageWorkflow as a server would record them, built event by event.</summary>
public static class TriageHistories
{
    public static Classification SampleClassification(string priority = "P1") => new(
        "Card charged but order failed", "payments", priority, [new ExtractedEntity("order_id", "ORD-88231")],
        0.82, "en", "negative", "local", "lexicon-v1", "local-v1");

    /// <summary>Started and marked running: the point where today's workflow schedules the classify activity.</summary>
    private static HistoryBuilder UpToStarted(long ticketId)
    {
        var h = new HistoryBuilder(TriageWorkflowStart.Name, WorkflowIds.Triage(ticketId), new TriageInput(ticketId, "web"));
        h.WorkflowTask();
        h.UpsertSearchAttributes(
            OpsDeskSearchAttributes.TicketId.ValueSet(ticketId),
            OpsDeskSearchAttributes.TriageState.ValueSet(TriageStatuses.Running));
        var start = h.ScheduleActivity("StartTriage", ticketId);
        // Runs before issue 15 returned the ticket from this activity; its result is not a command, so either replays.
        h.CompleteActivity(start, new { TicketId = ticketId, Source = "web", Status = "open", TriageStatus = "running" });
        h.WorkflowTask();
        return h;
    }

    /// <summary>Started, marked running, and the classify activity scheduled.</summary>
    private static (HistoryBuilder History, long Classify) UpToClassify(long ticketId)
    {
        var h = UpToStarted(ticketId);
        return (h, h.ScheduleActivity("ClassifyTicket", ticketId));
    }

    private static HistoryBuilder SaveAndComplete(HistoryBuilder h, long ticketId, Classification c)
    {
        h.WorkflowTask();
        var save = h.ScheduleActivity("SaveClassification", new SaveClassificationInput(ticketId, c));
        h.CompleteActivity(save);
        h.WorkflowTask();
        h.UpsertSearchAttributes(
            OpsDeskSearchAttributes.TicketPriority.ValueSet(c.Priority),
            OpsDeskSearchAttributes.TicketCategory.ValueSet(c.Category),
            OpsDeskSearchAttributes.TriageState.ValueSet(TriageStatuses.Classified));
        StartSla(h, ticketId);
        return h.CompleteWorkflow(new TriageResult(ticketId, c.Category, c.Priority, c.Provider, c.Confidence));
    }

    /// <summary>The SLA clock started as an abandoned child, then the workflow task that finishes the run.</summary>
    private static void StartSla(HistoryBuilder h, long ticketId)
    {
        h.StartChild("SlaWorkflow", WorkflowIds.Sla(ticketId), Temporalio.Api.Enums.V1.ParentClosePolicy.Abandon, new OpsDesk.Workflows.Sla.SlaInput(ticketId, null));
        h.WorkflowTask();
    }

    public static HistoryBuilder Success(long ticketId)
    {
        var (h, classify) = UpToClassify(ticketId);
        h.CompleteActivity(classify, SampleClassification());
        return SaveAndComplete(h, ticketId, SampleClassification());
    }

    /// <summary>The provider answered 429 twice; the third attempt succeeded.</summary>
    public static HistoryBuilder TransientThenSuccess(long ticketId)
    {
        var (h, classify) = UpToClassify(ticketId);
        h.Elapse(TimeSpan.FromSeconds(6));
        h.CompleteActivity(classify, SampleClassification(), attempt: 3);
        return SaveAndComplete(h, ticketId, SampleClassification());
    }

    /// <summary>The provider answered 401: recorded, then the workflow failed.</summary>
    public static HistoryBuilder PermanentFailure(long ticketId)
    {
        var (h, classify) = UpToClassify(ticketId);
        h.FailActivity(classify, "openai classifier failed permanently (unauthorized): 401", TriagePolicy.PermanentClassifierError, nonRetryable: true, 1, "unauthorized", 1);
        h.WorkflowTask();
        var record = h.ScheduleActivity("RecordTriageFailure", new RecordFailureInput(ticketId, "unauthorized", "openai classifier failed permanently (unauthorized): 401", 1));
        h.CompleteActivity(record);
        h.WorkflowTask();
        h.UpsertSearchAttributes(OpsDeskSearchAttributes.TriageState.ValueSet(TriageStatuses.Failed));
        StartSla(h, ticketId);
        return h.FailWorkflow($"Triage of ticket #{ticketId} failed: unauthorized", "TriageFailed");
    }

    /// <summary>A history recorded by an older build that saved before classifying: today's code must reject it.</summary>
    public static HistoryBuilder FromAChangedWorkflow(long ticketId)
    {
        var h = UpToStarted(ticketId);
        var save = h.ScheduleActivity("SaveClassification", new SaveClassificationInput(ticketId, SampleClassification()));
        h.CompleteActivity(save);
        h.WorkflowTask();
        return h.CompleteWorkflow(null);
    }
}
