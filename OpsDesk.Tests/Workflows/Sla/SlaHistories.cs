using OpsDesk.Db.Events;
using OpsDesk.Db.Sla;
using OpsDesk.Tests.Support;
using OpsDesk.Workflows;
using OpsDesk.Workflows.Sla;

namespace OpsDesk.Tests.Workflows.Sla;

/// <summary>
/// Histories of SlaWorkflow built event by event, kept only for what a live run cannot produce (a
/// redelivered change); everything else is recorded by the live suite (<see cref="RecordedHistories"/>). The ticket is
/// created when the workflow starts (<see cref="HistoryBuilder.StartTime"/>); every timer is the
/// one the clock asks for at that moment.
/// </summary>
public static class SlaHistories
{
    public const string Workflow = "SlaWorkflow";
    public const string Signal = "ApplyChange";

    private static DateTime T0 => HistoryBuilder.StartTime;

    public static SlaTicketState Loaded(string? priority, SlaPolicy? policy = null) =>
        new(policy ?? SlaPolicy.Default, T0, priority, "open", TimeSpan.Zero, null, null, false, false, false, 0, 0);

    /// <summary>Loaded, clock columns saved, waiting on its first timer.</summary>
    private static HistoryBuilder Started(long id, SlaTicketState loaded)
    {
        var policy = loaded.Policy;
        var target = policy.TargetFor(policy.Effective(loaded.Priority));
        var h = new HistoryBuilder(Workflow, WorkflowIds.Sla(id), new SlaInput(id));
        h.WorkflowTask();
        var load = h.ScheduleActivity("LoadTicket", id);
        h.CompleteActivity(load, loaded);
        h.WorkflowTask();
        var save = h.ScheduleActivity("SaveState", new SlaStateRequest(id, T0 + target, T0 + target * policy.WarningFraction, SlaStates.Running));
        h.CompleteActivity(save);
        h.WorkflowTask();
        return h;
    }

    private static void Record(HistoryBuilder h, long id, string type, string key, string state, string priority = "P0", string? outcome = null)
    {
        var request = new SlaEventRequest(id, type, key, T0, priority, false, TimeSpan.Zero, T0, T0, TimeSpan.Zero, TimeSpan.Zero, state, outcome);
        var scheduled = h.ScheduleActivity("RecordEvent", request);
        h.CompleteActivity(scheduled, 1L);
    }

    private static void SaveState(HistoryBuilder h, long id, string state)
    {
        var scheduled = h.ScheduleActivity("SaveState", new SlaStateRequest(id, T0, T0, state));
        h.CompleteActivity(scheduled);
    }

    private static SlaChange Status(long eventId, string value) => new(eventId, SlaChangeKinds.Status, value);

    /// <summary>A change delivered twice (the dispatcher retried after the signal had landed) is applied once.</summary>
    public static HistoryBuilder RedeliveredChange(long id)
    {
        var (h, second) = PausedAndResumed(id, pause: 61, resume: 62);
        // The pending change again: applying it would pause (a SaveState activity); ignoring it only re-arms the timer.
        h.Signal(Signal, Status(61, "pending"));
        h.WorkflowTask();
        h.CancelTimer(second);
        h.StartTimer(TimeSpan.FromMinutes(37));
        return h;
    }

    /// <summary>The same redelivery, as a workflow that wrongly applied it would have recorded it: replay must reject it.</summary>
    public static HistoryBuilder RedeliveredChangeAppliedTwice(long id)
    {
        var (h, second) = PausedAndResumed(id, pause: 71, resume: 72);
        h.Signal(Signal, Status(71, "pending"));
        h.WorkflowTask();
        h.CancelTimer(second);
        SaveState(h, id, SlaStates.Paused);
        h.WorkflowTask();
        return h;
    }

    /// <summary>P1: paused by change <paramref name="pause"/> 10 minutes in, resumed by <paramref name="resume"/> 10 minutes later; one more minute has passed on the re-armed timer.</summary>
    private static (HistoryBuilder History, string Timer) PausedAndResumed(long id, long pause, long resume)
    {
        var h = Started(id, Loaded("P1"));
        var first = h.StartTimer(TimeSpan.FromMinutes(48));
        h.Elapse(TimeSpan.FromMinutes(10));
        h.Signal(Signal, Status(pause, "pending"));
        h.WorkflowTask();
        h.CancelTimer(first);
        SaveState(h, id, SlaStates.Paused);
        h.WorkflowTask();
        h.Elapse(TimeSpan.FromMinutes(10));
        h.Signal(Signal, Status(resume, "open"));
        h.WorkflowTask();
        Record(h, id, EventTypes.SlaRecalculated, "recalculated:1", SlaStates.Running, "P1");
        h.WorkflowTask();
        var timer = h.StartTimer(TimeSpan.FromMinutes(38));
        h.Elapse(TimeSpan.FromMinutes(1));
        return (h, timer);
    }
}
