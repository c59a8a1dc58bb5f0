using System.Globalization;
using OpsDesk.Workflows.Triage.Retry;
using Spectre.Console;

namespace OpsDesk.Worker.Commands.Triage;

/// <summary>How <c>triage retry</c> reports: every ticket's outcome and the totals, as a table or JSON.</summary>
internal sealed class RetryReport(bool dryRun, bool json)
{
    public bool Json => json;

    /// <summary>Nothing matched: an empty report, exit 0.</summary>
    public async Task<int> WriteNothingToRetryAsync(TextWriter output, TimeSpan since)
    {
        if (json)
            await OutputOptions.WriteJsonAsync(output, Summarise([]));
        else
            await output.WriteLineAsync($"No failed triages in the last {Durations.Format(since)}: nothing to retry.");
        return Cli.Ok;
    }

    /// <summary>Writes the outcomes; exit 1 when any errored.</summary>
    public async Task<int> WriteAsync(TextWriter output, IAnsiConsole console, IReadOnlyList<RetryOutcome> outcomes)
    {
        var report = Summarise(outcomes);
        if (json)
        {
            await OutputOptions.WriteJsonAsync(output, report);
        }
        else
        {
            var table = new Table().AddColumns("Ticket", dryRun ? "Would" : "Outcome", "Detail", "Workflow");
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
    }

    internal Report Summarise(IReadOnlyList<RetryOutcome> outcomes) => new(
        dryRun,
        outcomes,
        new Summary(
            outcomes.Count(o => o.Outcome is RetryOutcome.Started or RetryOutcome.WouldStart),
            outcomes.Where(o => o.Outcome == RetryOutcome.Skipped)
                .GroupBy(o => o.Reason ?? "")
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count()),
            outcomes.Count(o => o.Outcome == RetryOutcome.Error)));

    internal static string SummaryLine(Report report)
    {
        var s = report.Summary;
        var skippedCount = s.Skipped.Values.Sum();
        var skipped = skippedCount == 0 ? "skipped 0" : $"skipped {skippedCount} ({string.Join(", ", s.Skipped.Select(kv => $"{kv.Key}: {kv.Value}"))})";
        return report.DryRun
            ? $"Dry run: would start {s.Started}, {skipped}. Nothing was written or started."
            : $"Started {s.Started}, {skipped}, errors {s.Errors}.";
    }

    private static string Detail(RetryOutcome o) => o.Outcome switch
    {
        RetryOutcome.Started => $"new run {o.RunId} (previous: {o.PreviousRunId ?? "none"})",
        RetryOutcome.WouldStart => $"previous run {o.PreviousRunId ?? "none"} is {o.PreviousStatus ?? "absent"}",
        _ => o.Reason ?? "",
    };

    /// <summary>The JSON report: every ticket's outcome and the totals.</summary>
    public sealed record Report(bool DryRun, IReadOnlyList<RetryOutcome> Items, Summary Summary);

    /// <summary>Started (or would start), skipped by reason, and errors.</summary>
    public sealed record Summary(int Started, IReadOnlyDictionary<string, int> Skipped, int Errors);
}
