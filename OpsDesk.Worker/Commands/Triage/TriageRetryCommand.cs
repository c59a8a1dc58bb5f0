using System.CommandLine;
using System.CommandLine.Parsing;
using OpsDesk.Workflows.Triage;
using OpsDesk.Workflows.Triage.Retry;

namespace OpsDesk.Worker.Commands.Triage;

/// <summary>
/// <c>opsdesk triage retry</c>: starts a new triage run for failed tickets. A running or completed
/// triage is never doubled: the latest run is described first, and the start itself uses
/// <see cref="TriageWorkflowStart.Options"/> (AllowDuplicateFailedOnly, UseExisting). The pieces:
/// <see cref="RetryTargets"/> (which tickets), <see cref="RetryConfirmation"/> (asking first),
/// <see cref="RetryPacer"/> (a bounded rate), <see cref="TriageRetrier"/> (Temporal),
/// <see cref="RetryRecorder"/> (the database write) and <see cref="RetryReport"/> (the output).
/// </summary>
public static class TriageRetryCommand
{
    public const string DefaultReason = "manual retry";

    public static Command Build(CliServices services)
    {
        var ids = new Argument<long[]>("ticketId") { Arity = ArgumentArity.ZeroOrMore, Description = "Tickets to retry.", CustomParser = CliParsers.TicketIds };
        var allFailed = new Option<bool>("--all-failed") { Description = "Retry every triage that failed within --since." };
        var since = Durations.Option("--since", TimeSpan.FromHours(24), "With --all-failed: how far back to look.");
        var limit = CommonOptions.Limit(200);
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
            var dry = parse.GetValue(dryRun);
            var report = new RetryReport(dry, parse.GetValue(output) == OutputOptions.Json);
            var (client, error) = await context.Temporal.TryConnectAsync(ct);
            if (client is null)
            {
                await context.Err.WriteLineAsync($"error: {error}");
                return Cli.Failed;
            }

            var given = parse.GetValue(ids) ?? [];
            var all = parse.GetValue(allFailed);
            var window = parse.GetValue(since).Value;
            var targets = all
                ? await RetryTargets.AllFailedAsync(context, client, window, parse.GetValue(limit), ct)
                : RetryTargets.Given(given);
            if (targets.Count == 0)
                return await report.WriteNothingToRetryAsync(context.Out, window);

            var bulk = all || given.Length > 1;
            if (bulk && !dry && !parse.GetValue(yes)
                && await RetryConfirmation.AskAsync(services, context.Err, targets.Count, ct) is { } refused)
            {
                return refused;
            }

            var retrier = new TriageRetrier(
                context.Temporal.Options, client, await context.Queries.GetManyAsync(targets, ct),
                dry ? null : new RetryRecorder(context.Queries, services.UserName, parse.GetValue(reason) ?? DefaultReason));
            var pacer = new RetryPacer(parse.GetValue(rate));
            var console = OutputOptions.Console(context.Out, services.OutputIsTerminal);
            var outcomes = bulk && services.OutputIsTerminal && !report.Json
                ? await pacer.RunWithProgressAsync(console, dry ? "Checking" : "Retrying", targets, retrier.RetryAsync, ct)
                : await pacer.RunAsync(targets, retrier.RetryAsync, null, ct);
            return await report.WriteAsync(context.Out, console, outcomes);
        }));
        return command;
    }
}
