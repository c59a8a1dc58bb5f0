using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.Workflow.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Client.Interceptors;
using Temporalio.Client.Schedules;
using Temporalio.Common;
using Temporalio.Converters;
using Temporalio.Exceptions;
using Temporalio.Worker;
using WorkflowExecution = Temporalio.Client.WorkflowExecution;

namespace OpsDesk.Tests.Worker.Commands;

/// <summary>
/// A Temporal client for CLI tests (no server can run here). It records every start with its
/// options, answers describes and history fetches from a scripted set of runs — a start adds a
/// Running run, as a server would — and lists workflows from the script or fails like an
/// unreachable visibility store. Everything else throws.
/// </summary>
public sealed class RecordingTemporalClient : ITemporalClient
{
    private readonly ConcurrentDictionary<string, List<ScriptedRun>> runs = new(StringComparer.Ordinal);
    private readonly Interceptor interceptor;

    public RecordingTemporalClient() => interceptor = new Interceptor(this);

    public sealed record StartCall(string Workflow, IReadOnlyCollection<object?> Args, WorkflowOptions Options, string RunId);

    public sealed record ScriptedRun(string WorkflowId, string RunId, WorkflowExecutionStatus Status, DateTime StartTime, DateTime? CloseTime, History? History);

    public ConcurrentQueue<StartCall> Starts { get; } = new();

    public ConcurrentQueue<string> ListQueries { get; } = new();

    public ConcurrentQueue<string> Described { get; } = new();

    /// <summary>Pending activities of a running workflow, by workflow id, for the raw describe.</summary>
    public ConcurrentDictionary<string, PendingActivityInfo> PendingActivities { get; } = new(StringComparer.Ordinal);

    /// <summary>The raw DescribeWorkflowExecution the CLI makes through <c>CliServices.DescribeRaw</c>.</summary>
    public Task<DescribeWorkflowExecutionResponse> DescribeRawAsync(DescribeWorkflowExecutionRequest request)
    {
        var run = Find(request.Execution.WorkflowId, string.IsNullOrEmpty(request.Execution.RunId) ? null : request.Execution.RunId);
        var response = new DescribeWorkflowExecutionResponse { WorkflowExecutionInfo = Info(run) };
        if (PendingActivities.TryGetValue(run.WorkflowId, out var pending) && run.Status == WorkflowExecutionStatus.Running)
            response.PendingActivities.Add(pending);
        return Task.FromResult(response);
    }

    /// <summary>When set, listing workflows fails with this (e.g. an RpcException: visibility unavailable).</summary>
    public Exception? ListError { get; set; }

    /// <summary>When set, the next start throws this instead of starting.</summary>
    public Exception? StartError { get; set; }

    /// <summary>Adds a run of a workflow; the last run added is the latest.</summary>
    public ScriptedRun AddRun(string workflowId, WorkflowExecutionStatus status, DateTime? closeTime = null, History? history = null, string? runId = null)
    {
        var run = new ScriptedRun(workflowId, runId ?? Guid.NewGuid().ToString(), status, (closeTime ?? DateTime.UtcNow).AddMinutes(-1),
            status == WorkflowExecutionStatus.Running ? null : closeTime ?? DateTime.UtcNow, history);
        runs.AddOrUpdate(workflowId, _ => [run], (_, list) =>
        {
            lock (list)
                list.Add(run);
            return list;
        });
        return run;
    }

    public TemporalClientOptions Options { get; } = new() { Namespace = "default" };

    public ClientOutboundInterceptor OutboundInterceptor => interceptor;

    public Task<WorkflowHandle> StartWorkflowAsync(string workflow, IReadOnlyCollection<object?> args, WorkflowOptions options)
    {
        if (StartError is { } error)
        {
            StartError = null;
            throw error;
        }

        var id = options.Id ?? throw new ArgumentException("no workflow id");
        var latest = Latest(id);
        // What the server does with these policies: a running run is reused, a completed one refuses.
        if (latest?.Status == WorkflowExecutionStatus.Running && options.IdConflictPolicy == WorkflowIdConflictPolicy.UseExisting)
            return Task.FromResult(new WorkflowHandle(this, id, null, latest.RunId, latest.RunId));
        if (latest?.Status == WorkflowExecutionStatus.Completed && options.IdReusePolicy == WorkflowIdReusePolicy.AllowDuplicateFailedOnly)
            throw new WorkflowAlreadyStartedException("Workflow execution already finished successfully", id, workflow, latest.RunId);

        var run = AddRun(id, WorkflowExecutionStatus.Running);
        Starts.Enqueue(new StartCall(workflow, args, options, run.RunId));
        return Task.FromResult(new WorkflowHandle(this, id, null, run.RunId, run.RunId));
    }

    public WorkflowHandle GetWorkflowHandle(string id, string? runId = null, string? firstExecutionRunId = null) =>
        new(this, id, runId, runId, firstExecutionRunId);

    public IAsyncEnumerable<WorkflowExecution> ListWorkflowsAsync(string query, WorkflowListOptions? options = null)
    {
        ListQueries.Enqueue(query);
        return ListAsync(options?.Limit);
    }

    private async IAsyncEnumerable<WorkflowExecution> ListAsync(int? limit)
    {
        await Task.Yield();
        if (ListError is { } error)
            throw error;
        var all = runs.Values.SelectMany(l =>
        {
            lock (l)
                return l.ToList();
        }).Where(r => r.Status == WorkflowExecutionStatus.Failed).OrderByDescending(r => r.CloseTime).ToList();
        foreach (var run in limit is > 0 and var n ? all.Take(n) : all)
            yield return NewExecution(run);
    }

    private ScriptedRun? Latest(string workflowId)
    {
        if (!runs.TryGetValue(workflowId, out var list))
            return null;
        lock (list)
            return list.LastOrDefault();
    }

    private ScriptedRun Find(string workflowId, string? runId)
    {
        var run = runId is null ? Latest(workflowId) : runs.GetValueOrDefault(workflowId)?.FirstOrDefault(r => r.RunId == runId);
        return run ?? throw new RpcException(RpcException.StatusCode.NotFound, $"workflow not found for ID: {workflowId}", null);
    }

    private static WorkflowExecutionInfo Info(ScriptedRun run) => new()
    {
        Execution = new Temporalio.Api.Common.V1.WorkflowExecution { WorkflowId = run.WorkflowId, RunId = run.RunId },
        Type = new Temporalio.Api.Common.V1.WorkflowType { Name = run.WorkflowId.StartsWith("sla-", StringComparison.Ordinal) ? "SlaWorkflow" : "TriageWorkflow" },
        Status = run.Status,
        StartTime = Timestamp.FromDateTime(DateTime.SpecifyKind(run.StartTime, DateTimeKind.Utc)),
        CloseTime = run.CloseTime is { } close ? Timestamp.FromDateTime(DateTime.SpecifyKind(close, DateTimeKind.Utc)) : null,
        HistoryLength = run.History?.Events.Count ?? 0,
        TaskQueue = "opsdesk",
    };

    // The SDK builds these from server responses only; their constructors are internal.
    private static WorkflowExecution NewExecution(ScriptedRun run) =>
        (WorkflowExecution)typeof(WorkflowExecution)
            .GetConstructor(BindingFlags.Instance | BindingFlags.NonPublic, [typeof(WorkflowExecutionInfo), typeof(DataConverter), typeof(string)])!
            .Invoke([Info(run), DataConverter.Default, "default"]);

    private static WorkflowExecutionDescription NewDescription(ScriptedRun run) =>
        (WorkflowExecutionDescription)typeof(WorkflowExecutionDescription)
            .GetConstructor(BindingFlags.Instance | BindingFlags.NonPublic, [typeof(DescribeWorkflowExecutionResponse), typeof(DataConverter)])!
            .Invoke([new DescribeWorkflowExecutionResponse { WorkflowExecutionInfo = Info(run) }, DataConverter.Default]);

    private sealed class Interceptor(RecordingTemporalClient client) : ClientOutboundInterceptor(null!)
    {
        public override Task<WorkflowExecutionDescription> DescribeWorkflowAsync(DescribeWorkflowInput input)
        {
            client.Described.Enqueue(input.Id);
            return Task.FromResult(NewDescription(client.Find(input.Id, input.RunId)));
        }

        public override Task<WorkflowHistoryEventPage> FetchWorkflowHistoryEventPageAsync(FetchWorkflowHistoryEventPageInput input)
        {
            var run = client.Find(input.Id, input.RunId);
            return Task.FromResult(new WorkflowHistoryEventPage(run.History?.Events.ToList() ?? [], null));
        }
    }

    // Not used by the CLI.
    public IBridgeClientProvider BridgeClientProvider => throw new NotSupportedException();

    public ITemporalConnection Connection => throw new NotSupportedException();

    public WorkflowService WorkflowService => throw new NotSupportedException("raw WorkflowService calls are not scripted");

    public OperatorService OperatorService => throw new NotSupportedException();

    public Task<WorkflowHandle<TWorkflow, TResult>> StartWorkflowAsync<TWorkflow, TResult>(Expression<Func<TWorkflow, Task<TResult>>> workflowRunCall, WorkflowOptions options) => throw new NotSupportedException();

    public Task<WorkflowHandle<TWorkflow>> StartWorkflowAsync<TWorkflow>(Expression<Func<TWorkflow, Task>> workflowRunCall, WorkflowOptions options) => throw new NotSupportedException();

    public WorkflowHandle<TWorkflow> GetWorkflowHandle<TWorkflow>(string id, string? runId = null, string? firstExecutionRunId = null) => throw new NotSupportedException();

    public WorkflowHandle<TWorkflow, TResult> GetWorkflowHandle<TWorkflow, TResult>(string id, string? runId = null, string? firstExecutionRunId = null) => throw new NotSupportedException();

    public Task<WorkflowUpdateHandle> StartUpdateWithStartWorkflowAsync<TWorkflow>(Expression<Func<TWorkflow, Task>> updateCall, WorkflowStartUpdateWithStartOptions options) => throw new NotSupportedException();

    public Task<WorkflowUpdateHandle<TUpdateResult>> StartUpdateWithStartWorkflowAsync<TWorkflow, TUpdateResult>(Expression<Func<TWorkflow, Task<TUpdateResult>>> updateCall, WorkflowStartUpdateWithStartOptions options) => throw new NotSupportedException();

    public Task<WorkflowUpdateHandle> StartUpdateWithStartWorkflowAsync(string update, IReadOnlyCollection<object?> args, WorkflowStartUpdateWithStartOptions options) => throw new NotSupportedException();

    public Task<WorkflowUpdateHandle<TUpdateResult>> StartUpdateWithStartWorkflowAsync<TUpdateResult>(string update, IReadOnlyCollection<object?> args, WorkflowStartUpdateWithStartOptions options) => throw new NotSupportedException();

    public Task<WorkflowExecutionCount> CountWorkflowsAsync(string query, WorkflowCountOptions? options = null) => throw new NotSupportedException();

    public Task<WorkflowListPage> ListWorkflowsPaginatedAsync(string query, byte[]? nextPageToken, WorkflowListPaginatedOptions? options = null) => throw new NotSupportedException();

    public Task<ActivityHandle<TResult>> StartActivityAsync<TResult>(Expression<Func<Task<TResult>>> activityCall, StartActivityOptions options) => throw new NotSupportedException();

    public Task<ActivityHandle> StartActivityAsync(Expression<Func<Task>> activityCall, StartActivityOptions options) => throw new NotSupportedException();

    public Task<ActivityHandle> StartActivityAsync(string activity, IReadOnlyCollection<object?> args, StartActivityOptions options) => throw new NotSupportedException();

    public ActivityHandle GetActivityHandle(string id, string? runId = null) => throw new NotSupportedException();

    public ActivityHandle<TResult> GetActivityHandle<TResult>(string id, string? runId = null) => throw new NotSupportedException();

    public IAsyncEnumerable<ActivityExecution> ListActivitiesAsync(string query, ActivityListOptions? options = null) => throw new NotSupportedException();

    public Task<ActivityExecutionCount> CountActivitiesAsync(string query, ActivityCountOptions? options = null) => throw new NotSupportedException();

    public Task<ActivityListPage> ListActivitiesPaginatedAsync(string query, byte[]? nextPageToken, ActivityListPaginatedOptions? options = null) => throw new NotSupportedException();

    public AsyncActivityHandle GetAsyncActivityHandle(byte[] taskToken) => throw new NotSupportedException();

    public AsyncActivityHandle GetAsyncActivityHandle(string workflowId, string runId, string activityId) => throw new NotSupportedException();

    public NexusClient CreateNexusClient(string endpoint, string service) => throw new NotSupportedException();

    public NexusClient<TService> CreateNexusClient<TService>(string endpoint) => throw new NotSupportedException();

    public NexusOperationHandle GetNexusOperationHandle(string operationId, string? operationRunId = null) => throw new NotSupportedException();

    public NexusOperationHandle<TResult> GetNexusOperationHandle<TResult>(string operationId, string? operationRunId = null) => throw new NotSupportedException();

    public IAsyncEnumerable<NexusOperationExecution> ListNexusOperationsAsync(string query, NexusOperationListOptions? options = null) => throw new NotSupportedException();

    public Task<NexusOperationExecutionCount> CountNexusOperationsAsync(string query, NexusOperationCountOptions? options = null) => throw new NotSupportedException();

    public Task<NexusOperationListPage> ListNexusOperationsPaginatedAsync(string query, byte[]? nextPageToken, NexusOperationListPaginatedOptions? options = null) => throw new NotSupportedException();

    public Task<ScheduleHandle> CreateScheduleAsync(string scheduleId, Schedule schedule, ScheduleOptions? options = null) => throw new NotSupportedException();

    public ScheduleHandle GetScheduleHandle(string scheduleId) => throw new NotSupportedException();

    public IAsyncEnumerable<ScheduleListDescription> ListSchedulesAsync(ScheduleListOptions? options = null) => throw new NotSupportedException();

#pragma warning disable CS0618 // obsolete worker-versioning members still belong to the interface
    public Task UpdateWorkerBuildIdCompatibilityAsync(string taskQueue, BuildIdOp buildIdOp, RpcOptions? rpcOptions = null) => throw new NotSupportedException();

    public Task<WorkerBuildIdVersionSets?> GetWorkerBuildIdCompatibilityAsync(string taskQueue, int maxSets = 0, RpcOptions? rpcOptions = null) => throw new NotSupportedException();

    public Task<WorkerTaskReachability> GetWorkerTaskReachabilityAsync(IReadOnlyCollection<string> buildIds, IReadOnlyCollection<string> taskQueues, TaskReachability? reachability = null, RpcOptions? rpcOptions = null) => throw new NotSupportedException();
#pragma warning restore CS0618
}
