using System.CommandLine;
using System.CommandLine.Parsing;
using System.Reflection;
using System.Text.RegularExpressions;
using OpsDesk.Workflows;
using OpsDesk.Workflows.Temporal;
using OpsDesk.Workflows.Triage;
using Spectre.Console;
using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Runtime;
using Temporalio.Worker;
using Temporalio.Workflows;

namespace OpsDesk.Worker.Commands.Triage;

/// <summary>
/// <c>opsdesk triage replay</c>: replays recorded histories against the workflow code in this build,
/// so a change that would break running workflows (nondeterminism) is caught before it ships.
/// </summary>
public static partial class TriageReplayCommand
{
    public static Command Build(CliServices services)
    {
        var tickets = new Option<long[]>("--ticket")
        {
            CustomParser = CliParsers.TicketIds,
            Description = "Fetch and replay the history of triage-{id} from the server (repeatable).",
            AllowMultipleArgumentsPerToken = true,
            HelpName = "id",
        };
        var files = new Option<string[]>("--history")
        {
            Description = "Replay history files: `temporal workflow show --output json` output or a Temporal UI download (repeatable).",
            AllowMultipleArgumentsPerToken = true,
            HelpName = "file.json",
        };
        var query = new Option<string>("--query") { Description = "Replay the histories of the workflows a visibility query lists, e.g. \"WorkflowType='TriageWorkflow' AND CloseTime > '2026-01-01T00:00:00Z'\"." };
        var workflowId = new Option<string>("--workflow-id") { Description = "Workflow id of a single --history file (default: from the file name, else the started event)." };
        var limit = CommonOptions.Limit(20);
        limit.Description = "With --query: at most this many histories.";
        var timeout = Durations.Option("--timeout", TimeSpan.FromSeconds(30), "Longest a single replay may take; a history that takes longer fails as timed out.");
        var output = OutputOptions.Create();
        var command = new Command("replay", "Replay workflow histories against the workflows in this build; exits 1 if any history fails (nondeterminism, malformed, timed out).")
        {
            tickets, files, query, workflowId, limit, timeout, output,
        };
        command.Validators.Add(Validation.WhenConverted<CommandResult>(result =>
        {
            var fileCount = result.GetValue(files)?.Length ?? 0;
            if ((result.GetValue(tickets)?.Length ?? 0) == 0 && fileCount == 0 && string.IsNullOrWhiteSpace(result.GetValue(query)))
                result.AddError("nothing to replay: give --ticket <id>, --history <file.json> or --query \"<visibility query>\".");
            if (result.GetValue(workflowId) is not null && fileCount != 1)
                result.AddError("--workflow-id applies to exactly one --history file.");
        }));
        command.SetAction(TriageCommandContext.Action(services, async (context, parse, ct) =>
        {
            var perReplay = parse.GetValue(timeout).Value;
            var outcomes = new List<ReplayOutcome>();
            var replayer = new WorkflowReplayer(ReplayerOptions());

            async Task ReplayAsync(string source, WorkflowHistory history, string? runId)
            {
                var type = history.Events.FirstOrDefault()?.WorkflowExecutionStartedEventAttributes?.WorkflowType?.Name;
                string? error = null;
                try
                {
                    var result = await replayer.ReplayWorkflowAsync(history, throwOnReplayFailure: false, ct).WaitAsync(perReplay, ct);
                    if (result.ReplayFailure is { } failure)
                        error = ReadableFailure(failure.Message);
                }
                catch (TimeoutException)
                {
                    error = $"timed out after {Durations.Format(perReplay)}";
                }
                catch (Exception ex) when (ex is ArgumentException or IOException || TemporalErrors.IsTemporalFailure(ex))
                {
                    error = $"replay could not run: {CliTemporal.Describe(ex)}";
                }

                outcomes.Add(new ReplayOutcome(source, history.Id, runId, type, history.Events.Count, error is null, error));
            }

            foreach (var path in parse.GetValue(files) ?? [])
            {
                WorkflowHistory history;
                try
                {
                    history = await HistoryFiles.ReadAsync(path, parse.GetValue(workflowId), ct);
                }
                catch (InvalidDataException ex)
                {
                    outcomes.Add(new ReplayOutcome(path, parse.GetValue(workflowId) ?? HistoryFiles.WorkflowIdFromFileName(path), null, null, 0, false, ex.Message));
                    continue;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    outcomes.Add(new ReplayOutcome(path, null, null, null, 0, false, "cannot read the file: " + ex.Message));
                    continue;
                }

                await ReplayAsync(path, history, history.Events.First().WorkflowExecutionStartedEventAttributes.OriginalExecutionRunId);
            }

            var ticketIds = parse.GetValue(tickets) ?? [];
            var visibilityQuery = parse.GetValue(query);
            if (ticketIds.Length > 0 || !string.IsNullOrWhiteSpace(visibilityQuery))
            {
                var (client, error) = await context.Temporal.TryConnectAsync(ct);
                if (client is null)
                {
                    await context.Err.WriteLineAsync($"error: {error}");
                    return Cli.Failed;
                }

                var runs = ticketIds.Select(id => (Source: $"ticket #{id}", Id: WorkflowIds.Triage(id), RunId: (string?)null)).ToList();
                if (!string.IsNullOrWhiteSpace(visibilityQuery))
                {
                    try
                    {
                        var list = new WorkflowListOptions { Limit = parse.GetValue(limit), Rpc = new RpcOptions { CancellationToken = ct } };
                        await foreach (var run in client.ListWorkflowsAsync(visibilityQuery, list).WithCancellation(ct))
                            runs.Add(($"query: {run.Id}", run.Id, run.RunId));
                    }
                    catch (Exception ex) when (CliTemporal.IsUnavailable(ex) && !ct.IsCancellationRequested)
                    {
                        outcomes.Add(new ReplayOutcome("query: " + visibilityQuery, null, null, null, 0, false, "listing failed: " + CliTemporal.Describe(ex)));
                    }
                }

                foreach (var (source, id, runId) in runs)
                {
                    WorkflowHistory history;
                    try
                    {
                        history = await client.GetWorkflowHandle(id, runId).FetchHistoryAsync(new WorkflowHistoryEventFetchOptions { Rpc = new RpcOptions { CancellationToken = ct } });
                    }
                    catch (Exception ex) when (CliTemporal.IsNotFound(ex))
                    {
                        outcomes.Add(new ReplayOutcome(source, id, runId, null, 0, false, $"no workflow {id} on the server"));
                        continue;
                    }
                    catch (Exception ex) when (CliTemporal.IsUnavailable(ex) && !ct.IsCancellationRequested)
                    {
                        outcomes.Add(new ReplayOutcome(source, id, runId, null, 0, false, "fetching the history failed: " + CliTemporal.Describe(ex)));
                        continue;
                    }

                    if (history.Events.Count == 0)
                    {
                        outcomes.Add(new ReplayOutcome(source, id, runId, null, 0, false, "the server returned an empty history"));
                        continue;
                    }

                    await ReplayAsync(source, history, runId ?? history.Events.First().WorkflowExecutionStartedEventAttributes?.OriginalExecutionRunId);
                }
            }

            var passed = outcomes.Count(o => o.Passed);
            var failed = outcomes.Count - passed;
            if (parse.GetValue(output) == OutputOptions.Json)
            {
                await OutputOptions.WriteJsonAsync(context.Out, new
                {
                    workflows = WorkflowTypes().Select(WorkflowName).ToList(),
                    passed,
                    failed,
                    items = outcomes,
                });
            }
            else
            {
                var console = OutputOptions.Console(context.Out, services.OutputIsTerminal);
                var table = new Table().AddColumns("History", "Workflow", "Events", "Result", "Detail");
                foreach (var o in outcomes)
                {
                    table.AddRow(
                        new Text(o.Source),
                        new Text(o.WorkflowId ?? "-"),
                        new Text(o.Events.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                        new Text(o.Passed ? "pass" : "FAIL", o.Passed ? new Style(Color.Green) : new Style(Color.Red)),
                        new Text(o.Error ?? ""));
                }

                console.Write(table);
                console.WriteLine($"{passed} passed, {failed} failed (workflows in this build: {string.Join(", ", WorkflowTypes().Select(WorkflowName))}).");
            }

            return failed > 0 ? Cli.Failed : Cli.Ok;
        }));
        return command;
    }

    /// <summary>Every [Workflow] class in OpsDesk.Workflows: TriageWorkflow, and SlaWorkflow once it is in the build.</summary>
    public static IReadOnlyList<Type> WorkflowTypes() =>
        typeof(TriageWorkflow).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && t.GetCustomAttribute<WorkflowAttribute>() is not null)
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary>Core wraps the nondeterminism message in a Rust debug dump; the inner message is what a person needs.</summary>
    internal static string ReadableFailure(string message)
    {
        var inner = InnerMessage().Match(message);
        return (inner.Success ? inner.Groups["m"].Value : message).ReplaceLineEndings(" ");
    }

    [GeneratedRegex("message: \"(?<m>[^\"]*Nondeterminism[^\"]*)\"")]
    private static partial Regex InnerMessage();

    private static string WorkflowName(Type type) => type.GetCustomAttribute<WorkflowAttribute>()?.Name ?? type.Name;

    private static WorkflowReplayerOptions ReplayerOptions()
    {
        var options = new WorkflowReplayerOptions { Runtime = QuietTemporalRuntime.Instance };
        foreach (var type in WorkflowTypes())
            options.AddWorkflow(type);
        return options;
    }
}
