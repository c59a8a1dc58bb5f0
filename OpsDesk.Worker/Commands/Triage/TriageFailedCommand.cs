using System.CommandLine;
using System.CommandLine.Parsing;
using Spectre.Console;

namespace OpsDesk.Worker.Commands.Triage;

/// <summary><c>opsdesk triage failed</c>: the triages that failed recently, with links to their runs.</summary>
public static class TriageFailedCommand
{
    public static Command Build(CliServices services)
    {
        var since = Durations.Option("--since", TimeSpan.FromHours(24), "How far back to look.");
        var limit = CommonOptions.Limit(50);
        var output = OutputOptions.Create();
        var command = new Command("failed",
            "List failed triages: ticket, subject, reason, attempts, when, and the run in the Temporal UI. " +
            "Reads Temporal visibility joined with the database; falls back to the database (triage_status=failed) when visibility is unavailable.")
        {
            since, limit, output,
        };
        command.SetAction(TriageCommandContext.Action(services, async (context, parse, ct) =>
        {
            if (!await context.TryOpenDatabaseAsync())
                return Cli.BadUsage;
            var (client, clientError) = await context.Temporal.TryConnectAsync(ct);
            var result = await FailedTriageList.ListAsync(context, client, clientError, parse.GetValue(since).Value, parse.GetValue(limit), ct);
            if (result.Notice("listing") is { } notice)
                await context.Err.WriteLineAsync(notice);

            var items = result.Items.Select(i => i.Item).ToList();
            if (parse.GetValue(output) == OutputOptions.Json)
            {
                await OutputOptions.WriteJsonAsync(context.Out, new
                {
                    source = result.Source,
                    since = DateTime.UtcNow - parse.GetValue(since).Value,
                    count = items.Count,
                    items,
                });
                return Cli.Ok;
            }

            var console = OutputOptions.Console(context.Out, services.OutputIsTerminal);
            if (items.Count == 0)
            {
                console.WriteLine($"No failed triages in the last {Durations.Format(parse.GetValue(since).Value)} (source: {result.Source}).");
                return Cli.Ok;
            }

            var table = new Table().AddColumns("Ticket", "Subject", "Reason", "Attempts", "Failed at (UTC)", "Workflow");
            foreach (var item in items)
            {
                table.AddRow(
                    new Text("#" + item.TicketId),
                    new Text(item.Subject is null ? "(not in database)" : OutputOptions.Shorten(item.Subject)),
                    new Text(item.Reason ?? "-"),
                    new Text(item.Attempts?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"),
                    new Text(item.FailedAt.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)),
                    new Text(item.Url));
            }

            console.Write(table);
            console.WriteLine($"{items.Count} failed triage(s) in the last {Durations.Format(parse.GetValue(since).Value)} (source: {result.Source}).");
            return Cli.Ok;
        }));
        return command;
    }
}
