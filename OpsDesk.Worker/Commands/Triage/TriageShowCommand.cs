using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using OpsDesk.Workflows;
using Spectre.Console;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;

namespace OpsDesk.Worker.Commands.Triage;

/// <summary>
/// <c>opsdesk triage show</c>: one ticket's triage — workflow status, attempts, last failure, SLA
/// state and the Temporal UI link. The database part always shows; the Temporal part is best effort.
/// </summary>
public static class TriageShowCommand
{
    public static Command Build(CliServices services)
    {
        var id = new Argument<long>("ticketId") { Description = "The ticket.", CustomParser = r => CliParsers.TicketIds(r).FirstOrDefault() };
        var output = OutputOptions.Create();
        var command = new Command("show", "Show a ticket's triage: workflow status, attempts, last failure, SLA state and the Temporal UI link.")
        {
            id, output,
        };
        command.SetAction(TriageCommandContext.Action(services, async (context, parse, ct) =>
        {
            if (!await context.TryOpenDatabaseAsync())
                return Cli.BadUsage;
            var ticketId = parse.GetValue(id);
            var row = await context.Queries.GetOverviewAsync(ticketId, ct);
            if (row is null)
            {
                await context.Err.WriteLineAsync($"error: no such ticket: #{ticketId}");
                return Cli.Failed;
            }

            var view = new TriageView
            {
                Ticket = new TicketPart(row.TicketId, row.Subject, row.Status, row.TriageStatus, row.Priority, row.Category),
                Retries = row.Retries,
                LastRetriedAt = row.LastRetriedAt,
                Sla = new SlaPart(row.SlaState, row.SlaDueAt, row.SlaWarningAt, WorkflowIds.Sla(ticketId), null, context.Temporal.WorkflowUrl(WorkflowIds.Sla(ticketId), null)),
            };
            if (row.FailedAt is { } failedAt)
            {
                view.LastFailure = new FailurePart(row.FailureReason, row.FailureMessage, failedAt, "timeline (ticket.triage_failed)");
                view.Attempts = row.FailureAttempts;
                view.AttemptsSource = "timeline";
            }

            var (client, error) = await context.Temporal.TryConnectAsync(ct);
            if (client is null)
            {
                view.Temporal = "unavailable: " + error;
                await context.Err.WriteLineAsync($"warning: {error}; showing what the database knows.");
            }
            else
            {
                await AddWorkflowAsync(context, client, ticketId, view, ct);
                await AddSlaAsync(context, client, ticketId, view, ct);
            }

            if (parse.GetValue(output) == OutputOptions.Json)
                await OutputOptions.WriteJsonAsync(context.Out, view);
            else
                Render(OutputOptions.Console(context.Out, services.OutputIsTerminal), view);
            return Cli.Ok;
        }));
        return command;
    }

    private static async Task AddWorkflowAsync(TriageCommandContext context, ITemporalClient client, long ticketId, TriageView view, CancellationToken ct)
    {
        var workflowId = WorkflowIds.Triage(ticketId);
        var rpc = new RpcOptions { CancellationToken = ct };
        WorkflowExecutionDescription description;
        try
        {
            description = await client.GetWorkflowHandle(workflowId).DescribeAsync(new WorkflowDescribeOptions { Rpc = rpc });
        }
        catch (Exception ex) when (CliTemporal.IsNotFound(ex))
        {
            view.Temporal = $"no workflow {workflowId}";
            return;
        }
        catch (Exception ex) when (CliTemporal.IsUnavailable(ex) && !ct.IsCancellationRequested)
        {
            view.Temporal = "unavailable: " + CliTemporal.Describe(ex);
            return;
        }

        view.Temporal = "ok";
        view.Workflow = new WorkflowPart(workflowId, description.RunId, CliTemporal.StatusName(description.Status), description.StartTime, description.CloseTime,
            description.HistoryLength, context.Temporal.WorkflowUrl(workflowId, description.RunId));

        if (description.Status == WorkflowExecutionStatus.Running)
        {
            // A running classification retries inside one activity; only the pending activity knows its attempt.
            try
            {
                var raw = await context.Services.DescribeRaw(
                    client,
                    new DescribeWorkflowExecutionRequest
                    {
                        Namespace = context.Temporal.Options.Namespace,
                        Execution = new Temporalio.Api.Common.V1.WorkflowExecution { WorkflowId = workflowId, RunId = description.RunId },
                    },
                    rpc);
                if (raw.PendingActivities.OrderByDescending(a => a.Attempt).FirstOrDefault() is { } pending)
                {
                    view.Attempts = pending.Attempt;
                    view.AttemptsSource = $"pending activity {pending.ActivityType?.Name}";
                    if (pending.LastFailure is { } last)
                        view.LastFailure = new FailurePart(null, last.Message, pending.LastAttemptCompleteTime?.ToDateTime(), $"pending activity {pending.ActivityType?.Name}");
                }
            }
            catch (Exception ex) when (CliTemporal.IsUnavailable(ex) && !ct.IsCancellationRequested)
            {
                view.Temporal = "ok (pending activities unavailable: " + CliTemporal.Describe(ex) + ")";
            }

            return;
        }

        // Closed: the history says how many attempts the classification took and why the run failed.
        try
        {
            var history = await client.GetWorkflowHandle(workflowId, description.RunId).FetchHistoryAsync(new WorkflowHistoryEventFetchOptions { Rpc = rpc });
            var (attempts, failure, at) = ReadHistory(history.Events);
            if (attempts > 0)
            {
                view.Attempts = attempts;
                view.AttemptsSource = "history";
            }

            if (failure is not null && description.Status != WorkflowExecutionStatus.Completed)
                view.LastFailure = new FailurePart(view.LastFailure?.Reason, failure, at, "history");
        }
        catch (Exception ex) when (CliTemporal.IsUnavailable(ex) && !ct.IsCancellationRequested)
        {
            view.Temporal = "ok (history unavailable: " + CliTemporal.Describe(ex) + ")";
        }
    }

    private static async Task AddSlaAsync(TriageCommandContext context, ITemporalClient client, long ticketId, TriageView view, CancellationToken ct)
    {
        var slaId = WorkflowIds.Sla(ticketId);
        try
        {
            var handle = client.GetWorkflowHandle(slaId);
            var description = await handle.DescribeAsync(new WorkflowDescribeOptions { Rpc = new RpcOptions { CancellationToken = ct } });
            view.Sla = view.Sla! with { WorkflowStatus = CliTemporal.StatusName(description.Status), Url = context.Temporal.WorkflowUrl(slaId, description.RunId) };
            if (description.Status == Temporalio.Api.Enums.V1.WorkflowExecutionStatus.Running)
            {
                // The clock's own view (the database columns lag it by one activity at most). Best effort:
                // a worker that is down cannot answer queries, and the database view above still stands.
                try
                {
                    var live = await handle.QueryAsync<OpsDesk.Workflows.Sla.SlaStatus>("Status", [], new WorkflowQueryOptions { Rpc = new RpcOptions { CancellationToken = ct } });
                    view.Sla = view.Sla with { Live = live };
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    view.Sla = view.Sla with { Live = null };
                }
            }
        }
        catch (Exception ex) when (CliTemporal.IsNotFound(ex))
        {
            view.Sla = view.Sla! with { WorkflowStatus = "none" };
        }
        catch (Exception ex) when (CliTemporal.IsUnavailable(ex) && !ct.IsCancellationRequested)
        {
            view.Sla = view.Sla! with { WorkflowStatus = "unavailable: " + CliTemporal.Describe(ex) };
        }
    }

    /// <summary>The classification's last attempt, and the failure that ended the run (or the last activity failure).</summary>
    internal static (int Attempts, string? Failure, DateTime? At) ReadHistory(IEnumerable<HistoryEvent> events)
    {
        var classifyScheduled = new HashSet<long>();
        int attempts = 0;
        string? failure = null;
        DateTime? at = null;
        foreach (var e in events)
        {
            switch (e.EventType)
            {
                case EventType.ActivityTaskScheduled when e.ActivityTaskScheduledEventAttributes.ActivityType?.Name == "ClassifyTicket":
                    classifyScheduled.Add(e.EventId);
                    break;
                case EventType.ActivityTaskStarted when classifyScheduled.Contains(e.ActivityTaskStartedEventAttributes.ScheduledEventId):
                    attempts = Math.Max(attempts, e.ActivityTaskStartedEventAttributes.Attempt);
                    break;
                case EventType.ActivityTaskFailed:
                    failure = e.ActivityTaskFailedEventAttributes.Failure?.Message;
                    at = e.EventTime?.ToDateTime();
                    break;
                case EventType.ActivityTaskTimedOut:
                    var timedOut = e.ActivityTaskTimedOutEventAttributes.Failure;
                    failure = timedOut?.Cause?.Message is { } cause ? $"{timedOut.Message}; last error: {cause}" : timedOut?.Message;
                    at = e.EventTime?.ToDateTime();
                    break;
                case EventType.WorkflowExecutionFailed:
                    failure = e.WorkflowExecutionFailedEventAttributes.Failure?.Message;
                    at = e.EventTime?.ToDateTime();
                    break;
                case EventType.WorkflowExecutionTimedOut:
                    failure = "workflow timed out";
                    at = e.EventTime?.ToDateTime();
                    break;
                case EventType.WorkflowExecutionTerminated:
                    failure = "terminated: " + e.WorkflowExecutionTerminatedEventAttributes.Reason;
                    at = e.EventTime?.ToDateTime();
                    break;
            }
        }

        return (attempts, failure, at);
    }

    private static void Render(IAnsiConsole console, TriageView v)
    {
        static string Time(DateTime? t) => t?.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) ?? "-";
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        void Row(string name, string? value) => grid.AddRow(new Text(name), new Text(string.IsNullOrEmpty(value) ? "-" : value));
        Row("Ticket", $"#{v.Ticket.Id} {OutputOptions.Shorten(v.Ticket.Subject, 60)}");
        Row("Ticket status", $"{v.Ticket.Status}, triage {v.Ticket.TriageStatus}" + (v.Ticket.Category is null ? "" : $", {v.Ticket.Category}/{v.Ticket.Priority}"));
        Row("Workflow", v.Workflow is { } w ? $"{w.Id} run {w.RunId}: {w.Status}" : v.Temporal);
        if (v.Workflow is { } wf)
            Row("Started / closed", $"{Time(wf.StartedAt)} / {Time(wf.ClosedAt)}");
        Row("Attempts", v.Attempts is { } a ? $"{a} ({v.AttemptsSource})" : null);
        Row("Last failure", v.LastFailure is { } f ? $"{(f.Reason is null ? "" : f.Reason + ": ")}{f.Message} at {Time(f.At)} ({f.Source})" : null);
        Row("Retries", v.Retries == 0 ? "0" : $"{v.Retries}, last at {Time(v.LastRetriedAt)}");
        if (v.Sla is { } s)
        {
            Row("SLA", $"{s.State ?? "not started"}, due {Time(s.DueAt)}, warning {Time(s.WarningAt)}");
            Row("SLA workflow", $"{s.WorkflowId}: {s.WorkflowStatus ?? "unknown"}");
            if (s.Live is { } live)
                Row("SLA (live)", $"{live.State}, {live.Priority}, due {Time(live.DueAt)}, warning {Time(live.WarningAt)}{(live.Paused ? ", paused" : "")}");
        }

        Row("Temporal", v.Temporal);
        Row("UI", v.Workflow?.Url);
        console.Write(grid);
    }

    /// <summary>The JSON shape of <c>triage show --output json</c>.</summary>
    public sealed class TriageView
    {
        public required TicketPart Ticket { get; init; }
        public WorkflowPart? Workflow { get; set; }
        public string? Temporal { get; set; }
        public int? Attempts { get; set; }
        public string? AttemptsSource { get; set; }
        public FailurePart? LastFailure { get; set; }
        public int Retries { get; init; }
        public DateTime? LastRetriedAt { get; init; }
        public SlaPart? Sla { get; set; }
    }

    public sealed record TicketPart(long Id, string Subject, string Status, string TriageStatus, string? Priority, string? Category);

    public sealed record WorkflowPart(string Id, string RunId, string Status, DateTime StartedAt, DateTime? ClosedAt, int HistoryLength, string Url);

    public sealed record FailurePart(string? Reason, string? Message, DateTime? At, string Source);

    public sealed record SlaPart(string? State, DateTime? DueAt, DateTime? WarningAt, string WorkflowId, string? WorkflowStatus, string Url)
    {
        /// <summary>The running SLA workflow's answer to its Status query, when it is running.</summary>
        public OpsDesk.Workflows.Sla.SlaStatus? Live { get; init; }
    }
}
