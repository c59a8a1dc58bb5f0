using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Npgsql;
using OpsDesk.Db.Events;
using OpsDesk.Db.Triage;
using OpsDesk.Workflows;
using OpsDesk.Workflows.Triage;
using Spectre.Console;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace OpsDesk.Worker.Commands.Triage;

/// <summary>
/// <c>opsdesk triage retry</c>: starts a new triage run for failed tickets. A running or completed
/// triage is never doubled: the latest run is described first, and the start itself uses
/// <see cref="TriageWorkflowStart.Options"/> (AllowDuplicateFailedOnly, UseExisting).
/// </summary>
public static class TriageRetryCommand
{
    public const string DefaultReason = "manual retry";

    public static Command Build(CliServices services)
    {
        var ids = new Argument<long[]>("ticketId") { Arity = ArgumentArity.ZeroOrMore, Description = "Tickets to retry.", CustomParser = CliParsers.TicketIds };
        var allFailed = new Option<bool>("--all-failed") { Description = "Retry every triage that failed within --since." };
        var since = Durations.Option("--since", TimeSpan.FromHours(24), "With --all-failed: how far back to look.");
        var limit = TriageFailedCommand.LimitOption(200);
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would happen; write nothing, start nothing." };
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation (required for bulk retries when stdin is not a terminal)." };
        var rate = CliParsers.Number("--rate", 5.0, 0.01, 1000.0, "Starts per second at most.");
        var reason = new Option<string>("--reason") { Description = "Why, recorded on the ticket.triage_retried event.", DefaultValueFactory = _ => DefaultReason };
        var output = OutputOptions.Create();
        var command = new Command("retry",
            "Start a new triage run for failed tickets. Running and completed triages are skipped; each retry is recorded as ticket.triage_retried.")
        {
            ids, allFailed, since, limit, dryRun, yes, rate, reason, output,
        };
        command.Validators.Add(Validation.WhenConverted<CommandResult>(result =>
        {
            var given = result.GetValue(ids) ?? [];
            var all = result.GetValue(allFailed);
            if (given.Length == 0 && !all)
                result.AddError("nothing to retry: give one or more ticket ids, or --all-failed.");
            else if (given.Length > 0 && all)
                result.AddError("give ticket ids or --all-failed, not both.");
        }));
        command.SetAction(TriageCommandContext.Action(services, async (context, parse, ct) =>
        {
            if (!await context.TryOpenDatabaseAsync())
                return Cli.BadUsage;
            var options = new RetryOptions(
                parse.GetValue(dryRun), parse.GetValue(yes), parse.GetValue(rate),
                parse.GetValue(reason) ?? DefaultReason, parse.GetValue(output) == OutputOptions.Json);
            var (client, error) = await TriageFailedCommand.TryConnectAsync(context, ct);
            if (client is null)
            {
                await context.Err.WriteLineAsync($"error: {error}");
                return Cli.Failed;
            }

            // Targets: the given ids, or what `triage failed` would list.
            var given = parse.GetValue(ids) ?? [];
            var bulk = parse.GetValue(allFailed) || given.Length > 1;
            List<long> targets;
            if (parse.GetValue(allFailed))
            {
                var list = await FailedTriageList.ListAsync(context, client, null, parse.GetValue(since).Value, parse.GetValue(limit), ct);
                if (list.Notice("taking failed tickets") is { } notice)
                    await context.Err.WriteLineAsync(notice);
                targets = list.Items.Select(i => i.Item.TicketId).Distinct().ToList();
            }
            else
            {
                targets = given.Distinct().ToList();
            }

            if (targets.Count == 0)
            {
                if (options.Json)
                    await OutputOptions.WriteJsonAsync(context.Out, Report(options.DryRun, []));
                else
                    await context.Out.WriteLineAsync($"No failed triages in the last {Durations.Format(parse.GetValue(since).Value)}: nothing to retry.");
                return Cli.Ok;
            }

            if (bulk && !options.DryRun && !options.Yes)
            {
                if (!services.InputIsInteractive)
                {
                    await context.Err.WriteLineAsync($"error: about to retry {targets.Count} triage(s), but stdin is not interactive and cannot confirm; pass --yes (or --dry-run to preview).");
                    return Cli.BadUsage;
                }

                await context.Err.WriteAsync($"Retry the triage of {targets.Count} ticket(s)? [y/N] ");
                await context.Err.FlushAsync(ct);
                var answer = (await services.Input.ReadLineAsync(ct))?.Trim();
                if (answer is null || !(answer.Equals("y", StringComparison.OrdinalIgnoreCase) || answer.Equals("yes", StringComparison.OrdinalIgnoreCase)))
                {
                    await context.Err.WriteLineAsync("Cancelled: nothing was retried.");
                    return Cli.Ok;
                }
            }

            var rows = await context.Queries.GetManyAsync(targets, ct);
            var retry = new Retrier(context, client, options, rows);
            var outcomes = new List<RetryOutcome>(targets.Count);
            var interval = TimeSpan.FromSeconds(1 / options.Rate);
            var clock = System.Diagnostics.Stopwatch.StartNew();

            async Task RunAllAsync(Action? tick)
            {
                for (var i = 0; i < targets.Count; i++)
                {
                    // A bounded rate: item i starts no earlier than i intervals after the first.
                    var due = interval * i - clock.Elapsed;
                    if (due > TimeSpan.Zero)
                        await Task.Delay(due, ct);
                    outcomes.Add(await retry.RetryAsync(targets[i], ct));
                    tick?.Invoke();
                }
            }

            var console = OutputOptions.Console(context.Out, services.OutputIsTerminal);
            if (bulk && services.OutputIsTerminal && !options.Json)
            {
                await console.Progress().StartAsync(async progress =>
                {
                    var task = progress.AddTask(options.DryRun ? "Checking" : "Retrying", maxValue: targets.Count);
                    await RunAllAsync(() => task.Increment(1));
                });
            }
            else
            {
                await RunAllAsync(null);
            }

            var report = Report(options.DryRun, outcomes);
            if (options.Json)
            {
                await OutputOptions.WriteJsonAsync(context.Out, report);
            }
            else
            {
                var table = new Table().AddColumns("Ticket", options.DryRun ? "Would" : "Outcome", "Detail", "Workflow");
                foreach (var o in outcomes)
                {
                    table.AddRow(
                        new Text("#" + o.TicketId.ToString(CultureInfo.InvariantCulture)),
                        new Text(o.Outcome.Replace('_', ' ')),
                        new Text(Detail(o)),
                        new Text(o.Url ?? "-"));
                }

                console.Write(table);
                console.WriteLine(SummaryLine(report));
            }

            return report.Summary.Errors > 0 ? Cli.Failed : Cli.Ok;
        }));
        return command;
    }

    private static string Detail(RetryOutcome o) => o.Outcome switch
    {
        RetryOutcome.Started => $"new run {o.RunId} (previous: {o.PreviousRunId ?? "none"})",
        RetryOutcome.WouldStart => $"previous run {o.PreviousRunId ?? "none"} is {o.PreviousStatus ?? "absent"}",
        _ => o.Reason ?? "",
    };

    internal static RetryReport Report(bool dryRun, IReadOnlyList<RetryOutcome> outcomes) => new(
        dryRun,
        outcomes,
        new RetrySummary(
            outcomes.Count(o => o.Outcome is RetryOutcome.Started or RetryOutcome.WouldStart),
            outcomes.Where(o => o.Outcome == RetryOutcome.Skipped)
                .GroupBy(o => o.Reason ?? "")
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count()),
            outcomes.Count(o => o.Outcome == RetryOutcome.Error)));

    internal static string SummaryLine(RetryReport report)
    {
        var s = report.Summary;
        var skippedCount = s.Skipped.Values.Sum();
        var skipped = skippedCount == 0 ? "skipped 0" : $"skipped {skippedCount} ({string.Join(", ", s.Skipped.Select(kv => $"{kv.Key}: {kv.Value}"))})";
        return report.DryRun
            ? $"Dry run: would start {s.Started}, {skipped}. Nothing was written or started."
            : $"Started {s.Started}, {skipped}, errors {s.Errors}.";
    }

    internal sealed record RetryOptions(bool DryRun, bool Yes, double Rate, string Reason, bool Json);

    /// <summary>The JSON report: every ticket's outcome and the totals.</summary>
    public sealed record RetryReport(bool DryRun, IReadOnlyList<RetryOutcome> Items, RetrySummary Summary);

    /// <summary>Started (or would start), skipped by reason, and errors.</summary>
    public sealed record RetrySummary(int Started, IReadOnlyDictionary<string, int> Skipped, int Errors);

    private sealed class Retrier(TriageCommandContext context, ITemporalClient client, RetryOptions options, IReadOnlyDictionary<long, FailedTriageRow> rows)
    {
        public async Task<RetryOutcome> RetryAsync(long ticketId, CancellationToken ct)
        {
            var workflowId = WorkflowIds.Triage(ticketId);
            if (!rows.TryGetValue(ticketId, out var row))
                return new RetryOutcome(ticketId, RetryOutcome.Skipped, RetryOutcome.SkipNoTicket, null, null, null, null);

            string? previousRunId = null;
            WorkflowExecutionStatus? previousStatus = null;
            try
            {
                var description = await client.GetWorkflowHandle(workflowId).DescribeAsync(new WorkflowDescribeOptions { Rpc = new RpcOptions { CancellationToken = ct } });
                previousRunId = description.RunId;
                previousStatus = description.Status;
            }
            catch (Exception ex) when (TriageCommandContext.IsNotFound(ex))
            {
                // Never started (or its history was deleted by retention): a fresh run is what is needed.
            }
            catch (Exception ex) when (TriageCommandContext.IsTemporalUnavailable(ex) && !ct.IsCancellationRequested)
            {
                return new RetryOutcome(ticketId, RetryOutcome.Error, "describe failed: " + TriageCommandContext.Describe(ex), null, null, null, context.WorkflowUrl(workflowId, null));
            }

            var statusName = previousStatus is { } st ? StatusName(st) : null;
            var previousUrl = context.WorkflowUrl(workflowId, previousRunId);
            switch (previousStatus)
            {
                case WorkflowExecutionStatus.Running or WorkflowExecutionStatus.ContinuedAsNew:
                    return new RetryOutcome(ticketId, RetryOutcome.Skipped, RetryOutcome.SkipRunning, previousRunId, statusName, null, previousUrl);
                case WorkflowExecutionStatus.Completed:
                    return new RetryOutcome(ticketId, RetryOutcome.Skipped, RetryOutcome.SkipCompleted, previousRunId, statusName, null, previousUrl);
            }

            // Failed, Terminated, TimedOut, Canceled, or no workflow at all: a new run may start.
            if (options.DryRun)
                return new RetryOutcome(ticketId, RetryOutcome.WouldStart, null, previousRunId, statusName, null, previousUrl);

            try
            {
                // Recorded first: if the start below fails the ticket is queued and the reconciler starts it.
                var dedupeKey = "retry-of:" + (previousRunId ?? (row.FailedEventId is { } e ? "event-" + e.ToString(CultureInfo.InvariantCulture) : "none"));
                await context.Queries.RecordRetryAsync(ticketId, dedupeKey, new TriageRetriedEvent(previousRunId, context.Services.UserName, options.Reason), ct);
            }
            catch (NpgsqlException ex)
            {
                return new RetryOutcome(ticketId, RetryOutcome.Error, "database: " + ex.Message, previousRunId, statusName, null, previousUrl);
            }

            try
            {
                var handle = await client.StartWorkflowAsync(
                    TriageWorkflowStart.Name,
                    [new TriageInput(ticketId, row.Source)],
                    TriageWorkflowStart.Options(ticketId, row.Source, context.Temporal.TaskQueue, ct));
                var runId = handle.ResultRunId ?? handle.RunId;
                return new RetryOutcome(ticketId, RetryOutcome.Started, null, previousRunId, statusName, runId, context.WorkflowUrl(workflowId, runId));
            }
            catch (WorkflowAlreadyStartedException)
            {
                // It completed between the describe and the start: the reuse policy refused a second run.
                return new RetryOutcome(ticketId, RetryOutcome.Skipped, RetryOutcome.SkipCompleted, previousRunId, statusName, null, previousUrl);
            }
            catch (Exception ex) when (TriageCommandContext.IsTemporalUnavailable(ex) && !ct.IsCancellationRequested)
            {
                return new RetryOutcome(ticketId, RetryOutcome.Error,
                    $"start failed ({TriageCommandContext.Describe(ex)}); the ticket is queued and the reconciler will start it", previousRunId, statusName, null, previousUrl);
            }
        }

        private static string StatusName(WorkflowExecutionStatus status) => status switch
        {
            WorkflowExecutionStatus.TimedOut => "timed out",
            WorkflowExecutionStatus.ContinuedAsNew => "continued as new",
            _ => status.ToString().ToLowerInvariant(),
        };
    }
}
