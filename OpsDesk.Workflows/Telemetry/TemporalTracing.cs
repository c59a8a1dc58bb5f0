using System.Diagnostics;
using OpsDesk.Db.Events;
using Temporalio.Activities;
using Temporalio.Api.Common.V1;
using Temporalio.Client;
using Temporalio.Client.Interceptors;
using Temporalio.Converters;
using Temporalio.Worker.Interceptors;
using Temporalio.Workflows;

namespace OpsDesk.Workflows.Telemetry;

/// <summary>
/// Carries the W3C trace context through Temporal, so a ticket's journey is one trace: the client's
/// start (or signal) span writes its <c>traceparent</c> into the workflow's headers; the workflow
/// copies its start header onto every activity, child workflow and continue-as-new it schedules; an
/// activity runs in a span whose parent is that context. Workflow code itself opens no span (a replay
/// would repeat it), so activities hang off the start span. Set on the client, it applies to the
/// workers built from that client too. With no listener it only reads and copies a header.
/// </summary>
public sealed class TemporalTracing : IClientInterceptor, IWorkerInterceptor
{
    /// <summary>The Temporal header the trace context travels in.</summary>
    public const string Header = "traceparent";

    public static TemporalTracing Instance { get; } = new();

    public ClientOutboundInterceptor InterceptClient(ClientOutboundInterceptor nextInterceptor) => new ClientOutbound(nextInterceptor);

    public WorkflowInboundInterceptor InterceptWorkflow(WorkflowInboundInterceptor nextInterceptor) => new WorkflowInbound(nextInterceptor);

    public ActivityInboundInterceptor InterceptActivity(ActivityInboundInterceptor nextInterceptor) => new ActivityInbound(nextInterceptor);

    private static IDictionary<string, Payload>? WithTraceParent(IDictionary<string, Payload>? headers, string? traceParent)
    {
        if (traceParent is null)
            return headers;
        var copy = headers is null ? new Dictionary<string, Payload>() : new Dictionary<string, Payload>(headers);
        copy[Header] = DataConverter.Default.PayloadConverter.ToPayload(traceParent);
        return copy;
    }

    private static string? TraceParentOf(IReadOnlyDictionary<string, Payload>? headers) =>
        headers is not null && headers.TryGetValue(Header, out var payload) ? DataConverter.Default.PayloadConverter.ToValue<string>(payload) : null;

    private static Activity? StartClientSpan(string name, string workflowId)
    {
        // Under the current span, or (started from the triage start queue) under the request that queued it.
        var span = OpsDeskTelemetry.Source.StartActivity(name, ActivityKind.Client, OpsDeskTelemetry.ContinuedTrace);
        if (span is not null)
        {
            span.SetTag("temporal.workflow_id", workflowId);
            if (WorkflowIds.TicketIdOf(workflowId) is { } ticketId)
                span.SetTag(OpsDeskTelemetry.TicketIdTag, ticketId);
        }

        return span;
    }

    private static void Failed(Activity? span, Exception ex)
    {
        span?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
        span?.AddException(ex);
    }

    private sealed class ClientOutbound(ClientOutboundInterceptor next) : ClientOutboundInterceptor(next)
    {
        public override async Task<WorkflowHandle<TWorkflow, TResult>> StartWorkflowAsync<TWorkflow, TResult>(StartWorkflowInput input)
        {
            using var span = StartClientSpan("StartWorkflow:" + input.Workflow, input.Options.Id ?? "");
            try
            {
                return await base.StartWorkflowAsync<TWorkflow, TResult>(input with { Headers = WithTraceParent(input.Headers, TraceParent.Current()) });
            }
            catch (Exception ex)
            {
                Failed(span, ex);
                throw;
            }
        }

        public override async Task SignalWorkflowAsync(SignalWorkflowInput input)
        {
            using var span = StartClientSpan("SignalWorkflow:" + input.Signal, input.Id);
            try
            {
                await base.SignalWorkflowAsync(input with { Headers = WithTraceParent(input.Headers, TraceParent.Current()) });
            }
            catch (Exception ex)
            {
                Failed(span, ex);
                throw;
            }
        }
    }

    private sealed class WorkflowInbound(WorkflowInboundInterceptor next) : WorkflowInboundInterceptor(next)
    {
        public override void Init(WorkflowOutboundInterceptor outbound) => base.Init(new WorkflowOutbound(outbound));
    }

    /// <summary>Copies the workflow's start header (part of its history, so the same on replay) onto what it schedules.</summary>
    private sealed class WorkflowOutbound(WorkflowOutboundInterceptor next) : WorkflowOutboundInterceptor(next)
    {
        private static string? Inherited => TraceParentOf(Workflow.Info.Headers);

        public override Task<TResult> ScheduleActivityAsync<TResult>(ScheduleActivityInput input) =>
            base.ScheduleActivityAsync<TResult>(input with { Headers = WithTraceParent(input.Headers, Inherited) });

        public override Task<TResult> ScheduleLocalActivityAsync<TResult>(ScheduleLocalActivityInput input) =>
            base.ScheduleLocalActivityAsync<TResult>(input with { Headers = WithTraceParent(input.Headers, Inherited) });

        public override Task<ChildWorkflowHandle<TWorkflow, TResult>> StartChildWorkflowAsync<TWorkflow, TResult>(StartChildWorkflowInput input) =>
            base.StartChildWorkflowAsync<TWorkflow, TResult>(input with { Headers = WithTraceParent(input.Headers, Inherited) });

        public override ContinueAsNewException CreateContinueAsNewException(CreateContinueAsNewExceptionInput input) =>
            base.CreateContinueAsNewException(input with { Headers = WithTraceParent(input.Headers, Inherited) });
    }

    private sealed class ActivityInbound(ActivityInboundInterceptor next) : ActivityInboundInterceptor(next)
    {
        public override async Task<object?> ExecuteActivityAsync(ExecuteActivityInput input)
        {
            var info = ActivityExecutionContext.Current.Info;
            using var span = OpsDeskTelemetry.Source.StartActivity(
                "RunActivity:" + info.ActivityType, ActivityKind.Server, OpsDeskTelemetry.ParentFrom(TraceParentOf(input.Headers)));
            if (span is not null)
            {
                span.SetTag("temporal.workflow_id", info.WorkflowId);
                span.SetTag("temporal.activity_type", info.ActivityType);
                span.SetTag("temporal.attempt", info.Attempt);
                if (info.WorkflowId is { } workflowId && WorkflowIds.TicketIdOf(workflowId) is { } ticketId)
                    span.SetTag(OpsDeskTelemetry.TicketIdTag, ticketId);
            }

            try
            {
                return await base.ExecuteActivityAsync(input);
            }
            catch (Exception ex)
            {
                Failed(span, ex);
                throw;
            }
        }
    }
}
