using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.Sdk.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Common;
using Temporalio.Converters;
using Temporalio.Workflows;
using ActivityType = Temporalio.Api.Common.V1.ActivityType;
using ParentClosePolicy = Temporalio.Api.Enums.V1.ParentClosePolicy;
using WorkflowType = Temporalio.Api.Common.V1.WorkflowType;

namespace OpsDesk.Tests.Support;

/// <summary>
/// Builds workflow histories in code, event by event, the way a Temporal server would record them,
/// so workflow code can be replayed against them without a server. Ids follow the SDK's own
/// numbering (activity, timer and child sequence numbers start at 1 per kind).
/// </summary>
public sealed class HistoryBuilder
{
    private static readonly DateTime Epoch = new(2026, 1, 1, 9, 0, 0, DateTimeKind.Utc);
    private readonly List<HistoryEvent> events = [];
    private readonly string taskQueue;
    private DateTime now = Epoch;
    private long lastWorkflowTaskCompleted;
    private bool firstTaskCompleted;
    private int activitySeq;
    private int timerSeq;
    private int childSeq;

    public HistoryBuilder(string workflowType, string workflowId, params object?[] input)
        : this(workflowType, workflowId, "opsdesk", input)
    {
    }

    public HistoryBuilder(string workflowType, string workflowId, string taskQueue, object?[] input)
    {
        WorkflowId = workflowId;
        this.taskQueue = taskQueue;
        var runId = Guid.NewGuid().ToString();
        Add(EventType.WorkflowExecutionStarted, e => e.WorkflowExecutionStartedEventAttributes = new()
        {
            WorkflowType = new WorkflowType { Name = workflowType },
            TaskQueue = new TaskQueue { Name = taskQueue, Kind = TaskQueueKind.Normal },
            Input = ToPayloads(input),
            WorkflowTaskTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(10)),
            OriginalExecutionRunId = runId,
            FirstExecutionRunId = runId,
            Identity = "history-builder",
            Attempt = 1,
            WorkflowId = workflowId,
        });
    }

    public string WorkflowId { get; }

    /// <summary>The time the workflow started; later events are stamped relative to it.</summary>
    public static DateTime StartTime => Epoch;

    public static IPayloadConverter Converter => DataConverter.Default.PayloadConverter;

    /// <summary>Moves the clock forward (for timers and durations the workflow reads from event times).</summary>
    public HistoryBuilder Elapse(TimeSpan span)
    {
        now += span;
        return this;
    }

    /// <summary>A full workflow task: scheduled, started, completed. The first completion carries the SDK flags.</summary>
    public HistoryBuilder WorkflowTask()
    {
        var scheduled = Add(EventType.WorkflowTaskScheduled, e => e.WorkflowTaskScheduledEventAttributes = new()
        {
            TaskQueue = new TaskQueue { Name = taskQueue, Kind = TaskQueueKind.Normal },
            StartToCloseTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(10)),
            Attempt = 1,
        });
        var started = Add(EventType.WorkflowTaskStarted, e => e.WorkflowTaskStartedEventAttributes = new()
        {
            ScheduledEventId = scheduled,
            Identity = "history-builder",
            RequestId = Guid.NewGuid().ToString(),
        });
        lastWorkflowTaskCompleted = Add(EventType.WorkflowTaskCompleted, e =>
        {
            e.WorkflowTaskCompletedEventAttributes = new()
            {
                ScheduledEventId = scheduled,
                StartedEventId = started,
                Identity = "history-builder",
            };
            if (!firstTaskCompleted)
            {
                // Without these flags core does not compare activity types on replay, and a changed
                // workflow would go unnoticed.
                e.WorkflowTaskCompletedEventAttributes.SdkMetadata = new WorkflowTaskCompletedMetadata { CoreUsedFlags = { 1, 2, 3 } };
            }
        });
        firstTaskCompleted = true;
        return this;
    }

    /// <summary>Schedules an activity; returns its scheduled event id.</summary>
    public long ScheduleActivity(string activityType, params object?[] args)
    {
        activitySeq++;
        return Add(EventType.ActivityTaskScheduled, e => e.ActivityTaskScheduledEventAttributes = new()
        {
            ActivityId = activitySeq.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ActivityType = new ActivityType { Name = activityType },
            TaskQueue = new TaskQueue { Name = taskQueue, Kind = TaskQueueKind.Normal },
            Input = ToPayloads(args),
            StartToCloseTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(30)),
            WorkflowTaskCompletedEventId = lastWorkflowTaskCompleted,
        });
    }

    public HistoryBuilder CompleteActivity(long scheduledEventId, object? result = null, int attempt = 1)
    {
        var started = StartActivity(scheduledEventId, attempt);
        Add(EventType.ActivityTaskCompleted, e => e.ActivityTaskCompletedEventAttributes = new()
        {
            ScheduledEventId = scheduledEventId,
            StartedEventId = started,
            Result = ToPayloads([result]),
            Identity = "history-builder",
        });
        return this;
    }

    /// <summary>An activity that failed for good (non-retryable, or out of attempts).</summary>
    public HistoryBuilder FailActivity(long scheduledEventId, string message, string errorType, bool nonRetryable, int attempt = 1, params object?[] details)
    {
        var started = StartActivity(scheduledEventId, attempt);
        Add(EventType.ActivityTaskFailed, e => e.ActivityTaskFailedEventAttributes = new()
        {
            ScheduledEventId = scheduledEventId,
            StartedEventId = started,
            Failure = new Failure
            {
                Message = message,
                Source = "DotNetSDK",
                ApplicationFailureInfo = new ApplicationFailureInfo
                {
                    Type = errorType,
                    NonRetryable = nonRetryable,
                    Details = ToPayloads(details),
                },
            },
            RetryState = nonRetryable ? RetryState.NonRetryableFailure : RetryState.MaximumAttemptsReached,
            Identity = "history-builder",
        });
        return this;
    }

    /// <summary>An activity whose schedule-to-close budget ran out while it kept failing.</summary>
    public HistoryBuilder TimeOutActivity(long scheduledEventId, string lastMessage, int attempt)
    {
        var started = StartActivity(scheduledEventId, attempt);
        Add(EventType.ActivityTaskTimedOut, e => e.ActivityTaskTimedOutEventAttributes = new()
        {
            ScheduledEventId = scheduledEventId,
            StartedEventId = started,
            Failure = new Failure
            {
                Message = "activity ScheduleToClose timeout",
                Source = "Server",
                TimeoutFailureInfo = new TimeoutFailureInfo { TimeoutType = TimeoutType.ScheduleToClose },
                Cause = new Failure { Message = lastMessage, ApplicationFailureInfo = new ApplicationFailureInfo { Type = "ClassifierTransient" } },
            },
            RetryState = RetryState.Timeout,
        });
        return this;
    }

    /// <summary>Records an upsert of search attributes (the workflow's UpsertTypedSearchAttributes).</summary>
    public HistoryBuilder UpsertSearchAttributes(params SearchAttributeUpdate[] updates)
    {
        var indexed = new SearchAttributes();
        foreach (var update in updates.Where(u => u.HasValue))
            indexed.IndexedFields[update.UntypedKey.Name] = SearchAttributeValue(update.UntypedKey, update.UntypedValue!);
        Add(EventType.UpsertWorkflowSearchAttributes, e => e.UpsertWorkflowSearchAttributesEventAttributes = new()
        {
            WorkflowTaskCompletedEventId = lastWorkflowTaskCompleted,
            SearchAttributes = indexed,
        });
        return this;
    }

    /// <summary>Starts a timer; returns its timer id (the SDK's timer sequence number).</summary>
    public string StartTimer(TimeSpan duration)
    {
        timerSeq++;
        var id = timerSeq.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Add(EventType.TimerStarted, e => e.TimerStartedEventAttributes = new()
        {
            TimerId = id,
            StartToFireTimeout = Duration.FromTimeSpan(duration),
            WorkflowTaskCompletedEventId = lastWorkflowTaskCompleted,
        });
        return id;
    }

    public HistoryBuilder FireTimer(string timerId)
    {
        var started = events.Last(e => e.EventType == EventType.TimerStarted && e.TimerStartedEventAttributes.TimerId == timerId);
        now += started.TimerStartedEventAttributes.StartToFireTimeout.ToTimeSpan();
        Add(EventType.TimerFired, e => e.TimerFiredEventAttributes = new() { TimerId = timerId, StartedEventId = started.EventId });
        return this;
    }

    public HistoryBuilder CancelTimer(string timerId)
    {
        var started = events.Last(e => e.EventType == EventType.TimerStarted && e.TimerStartedEventAttributes.TimerId == timerId);
        Add(EventType.TimerCanceled, e => e.TimerCanceledEventAttributes = new()
        {
            TimerId = timerId,
            StartedEventId = started.EventId,
            WorkflowTaskCompletedEventId = lastWorkflowTaskCompleted,
            Identity = "history-builder",
        });
        return this;
    }

    public HistoryBuilder Signal(string name, params object?[] args)
    {
        Add(EventType.WorkflowExecutionSignaled, e => e.WorkflowExecutionSignaledEventAttributes = new()
        {
            SignalName = name,
            Input = ToPayloads(args),
            Identity = "history-builder",
        });
        return this;
    }

    /// <summary>Initiates a child workflow and records it as started; returns the initiated event id.</summary>
    public long StartChild(string workflowType, string workflowId, ParentClosePolicy parentClosePolicy, params object?[] args)
    {
        childSeq++;
        var initiated = Add(EventType.StartChildWorkflowExecutionInitiated, e => e.StartChildWorkflowExecutionInitiatedEventAttributes = new()
        {
            Namespace = "default",
            WorkflowId = workflowId,
            WorkflowType = new WorkflowType { Name = workflowType },
            TaskQueue = new TaskQueue { Name = taskQueue, Kind = TaskQueueKind.Normal },
            Input = ToPayloads(args),
            ParentClosePolicy = parentClosePolicy,
            WorkflowTaskCompletedEventId = lastWorkflowTaskCompleted,
            WorkflowIdReusePolicy = WorkflowIdReusePolicy.AllowDuplicate,
        });
        Add(EventType.ChildWorkflowExecutionStarted, e => e.ChildWorkflowExecutionStartedEventAttributes = new()
        {
            Namespace = "default",
            InitiatedEventId = initiated,
            WorkflowExecution = new WorkflowExecution { WorkflowId = workflowId, RunId = Guid.NewGuid().ToString() },
            WorkflowType = new WorkflowType { Name = workflowType },
        });
        return initiated;
    }

    public HistoryBuilder CompleteWorkflow(object? result = null)
    {
        Add(EventType.WorkflowExecutionCompleted, e => e.WorkflowExecutionCompletedEventAttributes = new()
        {
            Result = ToPayloads([result]),
            WorkflowTaskCompletedEventId = lastWorkflowTaskCompleted,
        });
        return this;
    }

    public HistoryBuilder FailWorkflow(string message, string errorType, bool nonRetryable = true)
    {
        Add(EventType.WorkflowExecutionFailed, e => e.WorkflowExecutionFailedEventAttributes = new()
        {
            Failure = new Failure
            {
                Message = message,
                Source = "DotNetSDK",
                ApplicationFailureInfo = new ApplicationFailureInfo { Type = errorType, NonRetryable = nonRetryable },
            },
            RetryState = RetryState.NonRetryableFailure,
            WorkflowTaskCompletedEventId = lastWorkflowTaskCompleted,
        });
        return this;
    }

    public HistoryBuilder ContinueAsNew(string workflowType, params object?[] args)
    {
        Add(EventType.WorkflowExecutionContinuedAsNew, e => e.WorkflowExecutionContinuedAsNewEventAttributes = new()
        {
            NewExecutionRunId = Guid.NewGuid().ToString(),
            WorkflowType = new WorkflowType { Name = workflowType },
            TaskQueue = new TaskQueue { Name = taskQueue, Kind = TaskQueueKind.Normal },
            Input = ToPayloads(args),
            WorkflowTaskTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(10)),
            WorkflowTaskCompletedEventId = lastWorkflowTaskCompleted,
        });
        return this;
    }

    public Temporalio.Common.WorkflowHistory Build() => new(WorkflowId, events.Select(e => e.Clone()).ToList());

    /// <summary>The history as JSON, in the shape `temporal workflow show --output json` writes.</summary>
    public string ToJson() => JsonFormatter.Default.Format(new History { Events = { events } });

    private long StartActivity(long scheduledEventId, int attempt) =>
        Add(EventType.ActivityTaskStarted, e => e.ActivityTaskStartedEventAttributes = new()
        {
            ScheduledEventId = scheduledEventId,
            Identity = "history-builder",
            RequestId = Guid.NewGuid().ToString(),
            Attempt = attempt,
        });

    private long Add(EventType type, Action<HistoryEvent> fill)
    {
        var e = new HistoryEvent { EventId = events.Count + 1, EventType = type, EventTime = Timestamp.FromDateTime(now) };
        fill(e);
        events.Add(e);
        return e.EventId;
    }

    private static Payloads ToPayloads(IEnumerable<object?> values)
    {
        var payloads = new Payloads();
        foreach (var value in values)
            payloads.Payloads_.Add(Converter.ToPayload(value));
        return payloads;
    }

    private static Payload SearchAttributeValue(SearchAttributeKey key, object value)
    {
        var payload = Converter.ToPayload(value);
        payload.Metadata["type"] = ByteString.CopyFromUtf8(key.ValueType switch
        {
            IndexedValueType.Int => "Int",
            IndexedValueType.Keyword => "Keyword",
            IndexedValueType.Text => "Text",
            IndexedValueType.Bool => "Bool",
            IndexedValueType.Double => "Double",
            IndexedValueType.Datetime => "Datetime",
            IndexedValueType.KeywordList => "KeywordList",
            _ => "Unspecified",
        });
        return payload;
    }
}
