using OpsDesk.Db.Events;
using OpsDesk.Db.Sla;
using OpsDesk.Tests.Support;
using OpsDesk.Workflows;
using OpsDesk.Workflows.Sla;

namespace OpsDesk.Tests.Workflows.Sla;

/// <summary>
/// Histories of SlaWorkflow as a server would record them, built event by event. The ticket is
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

    /// <summary>P0: warning at 12 minutes, breach at 15, resolved later (outcome breached).</summary>
    public static HistoryBuilder WarnThenBreach(long id)
    {
        var h = Started(id, Loaded("P0"));
        var warning = h.StartTimer(TimeSpan.FromMinutes(12));
        h.FireTimer(warning);
        h.WorkflowTask();
        Record(h, id, EventTypes.SlaWarning, "warning", SlaStates.Warned);
        h.WorkflowTask();
        var deadline = h.StartTimer(TimeSpan.FromMinutes(3));
        h.FireTimer(deadline);
        h.WorkflowTask();
        Record(h, id, EventTypes.SlaBreached, "breached", SlaStates.Breached);
        h.WorkflowTask();
        h.Elapse(TimeSpan.FromMinutes(10));
        h.Signal(Signal, Status(11, "resolved"));
        h.WorkflowTask();
        Record(h, id, EventTypes.SlaCompleted, "completed", SlaStates.Completed, outcome: SlaOutcomes.Breached);
        h.WorkflowTask();
        return h.CompleteWorkflow(new SlaOutcome(id, SlaOutcomes.Breached, "P0", T0.AddMinutes(15), T0.AddMinutes(25), TimeSpan.Zero));
    }

    /// <summary>P1 resolved after 20 minutes: the warning timer is cancelled and the SLA is met.</summary>
    public static HistoryBuilder ResolveBeforeWarning(long id)
    {
        var h = Started(id, Loaded("P1"));
        var warning = h.StartTimer(TimeSpan.FromMinutes(48));
        h.Elapse(TimeSpan.FromMinutes(20));
        h.Signal(Signal, Status(21, "resolved"));
        h.WorkflowTask();
        h.CancelTimer(warning);
        Record(h, id, EventTypes.SlaCompleted, "completed", SlaStates.Completed, "P1", SlaOutcomes.Met);
        h.WorkflowTask();
        return h.CompleteWorkflow(new SlaOutcome(id, SlaOutcomes.Met, "P1", T0.AddMinutes(60), T0.AddMinutes(20), TimeSpan.Zero));
    }

    /// <summary>P1 pending from minute 10 to 40: no timer while paused, then the warning moves to minute 78.</summary>
    public static HistoryBuilder PauseAndResume(long id)
    {
        var h = Started(id, Loaded("P1"));
        var first = h.StartTimer(TimeSpan.FromMinutes(48));
        h.Elapse(TimeSpan.FromMinutes(10));
        h.Signal(Signal, Status(31, "pending"));
        h.WorkflowTask();
        h.CancelTimer(first);
        SaveState(h, id, SlaStates.Paused);
        h.WorkflowTask();
        h.Elapse(TimeSpan.FromMinutes(30));
        h.Signal(Signal, Status(32, "open"));
        h.WorkflowTask();
        Record(h, id, EventTypes.SlaRecalculated, "recalculated:1", SlaStates.Running, "P1");
        h.WorkflowTask();
        var warning = h.StartTimer(TimeSpan.FromMinutes(38));
        h.FireTimer(warning);
        h.WorkflowTask();
        Record(h, id, EventTypes.SlaWarning, "warning", SlaStates.Warned, "P1");
        h.WorkflowTask();
        h.StartTimer(TimeSpan.FromMinutes(12));
        return h;
    }

    /// <summary>P2 warned at 4 h 48 min; at 5 h raised to P1 (1 h): recalculated, then breached at once.</summary>
    public static HistoryBuilder PriorityUpAfterWarning(long id)
    {
        var h = Started(id, Loaded("P2"));
        var warning = h.StartTimer(TimeSpan.FromMinutes(288));
        h.FireTimer(warning);
        h.WorkflowTask();
        Record(h, id, EventTypes.SlaWarning, "warning", SlaStates.Warned, "P2");
        h.WorkflowTask();
        var deadline = h.StartTimer(TimeSpan.FromMinutes(72));
        h.Elapse(TimeSpan.FromMinutes(12));
        h.Signal(Signal, new SlaChange(41, SlaChangeKinds.Priority, "P1"));
        h.WorkflowTask();
        h.CancelTimer(deadline);
        Record(h, id, EventTypes.SlaRecalculated, "recalculated:1", SlaStates.Warned, "P1");
        h.WorkflowTask();
        Record(h, id, EventTypes.SlaBreached, "breached", SlaStates.Breached, "P1");
        h.WorkflowTask();
        return h;
    }

    public static SlaPolicy ShortLived => SlaPolicy.Default with { ContinueAsNewAfterChanges = 2 };

    /// <summary>The state the first run of <see cref="ContinueAsNewFirstRun"/> hands over.</summary>
    public static SlaCarriedState Carried => new(
        ShortLived, "P3", false, T0.AddHours(-2), TimeSpan.FromHours(1), null, false, false, 1, 0, [51, 52], 52, 0);

    /// <summary>P3 with a policy that continues as new after two changes: pause, resume, continue-as-new.</summary>
    public static HistoryBuilder ContinueAsNewFirstRun(long id)
    {
        var h = Started(id, Loaded("P3", ShortLived));
        var warning = h.StartTimer(TimeSpan.FromMinutes(1152));
        h.Elapse(TimeSpan.FromHours(1));
        h.Signal(Signal, Status(51, "pending"));
        h.WorkflowTask();
        h.CancelTimer(warning);
        SaveState(h, id, SlaStates.Paused);
        h.WorkflowTask();
        h.Elapse(TimeSpan.FromHours(1));
        h.Signal(Signal, Status(52, "open"));
        h.WorkflowTask();
        Record(h, id, EventTypes.SlaRecalculated, "recalculated:1", SlaStates.Running, "P3");
        h.WorkflowTask();
        return h.ContinueAsNew(Workflow, new SlaInput(id, Carried));
    }

    /// <summary>The run after continue-as-new: no load, straight to the timer; then resolved.</summary>
    public static HistoryBuilder ContinueAsNewSecondRun(long id)
    {
        var h = new HistoryBuilder(Workflow, WorkflowIds.Sla(id), new SlaInput(id, Carried));
        h.WorkflowTask();
        // Created 2 h ago, 1 h paused: the warning (19 h 12 min of clock time) is 18 h 12 min away.
        var warning = h.StartTimer(TimeSpan.FromMinutes(1092));
        h.Elapse(TimeSpan.FromHours(1));
        h.Signal(Signal, Status(53, "resolved"));
        h.WorkflowTask();
        h.CancelTimer(warning);
        Record(h, id, EventTypes.SlaCompleted, "completed", SlaStates.Completed, "P3", SlaOutcomes.Met);
        h.WorkflowTask();
        return h.CompleteWorkflow(new SlaOutcome(id, SlaOutcomes.Met, "P3", T0.AddHours(23), T0.AddHours(1), TimeSpan.FromHours(1)));
    }

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
