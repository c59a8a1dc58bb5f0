using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Npgsql;
using OpsDesk.Db.Outbox;
using OpsDesk.Worker.Outbox;
using Spectre.Console;

namespace OpsDesk.Worker.Commands;

/// <summary>
/// <c>opsdesk events parked [--replay ID...] [--skip ID...]</c>: the events the outbox relay parked
/// because the broker will never take them (too large, refused as invalid), the later events of
/// their tickets waiting behind them, and the two ways out: replay (after fixing the cause, e.g.
/// raising message.max.bytes) or skip (give up on sending it; the ticket's later events flow).
/// Exit codes: 0 ok, 1 failed (database, or an id that was never parked), 2 bad usage.
/// </summary>
public static class EventsParkedCommand
{
    public const int MaxLimit = 10_000;

    private static Option<long[]> EventIds(string name, string description) => new(name)
    {
        Description = description,
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = true,
        CustomParser = CliParsers.EventIds,
        HelpName = "eventId",
    };

    public static Command Build(CliServices? services = null)
    {
        services ??= CliServices.Default;
        var replay = EventIds("--replay", "Send these parked events again (repeatable); they go out before the later events of their tickets.");
        var skip = EventIds("--skip", "Give up on these parked events (repeatable): never sent to Kafka, kept in the timeline; the later events of their tickets flow.");
        var all = new Option<bool>("--all") { Description = "Also list events already replayed or skipped." };
        var limit = CommonOptions.Limit(100, MaxLimit, "events");
        var output = OutputOptions.Create();
        var command = new Command("parked",
            "List events the outbox relay parked because Kafka will never take them, with the reason and how many later events of the ticket wait behind each; replay or skip them.")
        {
            replay, skip, all, limit, output,
        };
        command.Validators.Add(Validation.WhenConverted<CommandResult>(result =>
        {
            if (result.GetResult(replay) is not null && result.GetResult(skip) is not null)
                result.AddError("give --replay or --skip, not both.");
        }));
        command.SetAction(async (parse, ct) =>
        {
            var err = parse.InvocationConfiguration.Error;
            var dataSource = await CliDatabase.OpenAsync(CommonOptions.BuildConfiguration(parse), err);
            if (dataSource is null)
                return Cli.BadUsage;

            await using (dataSource)
            {
                try
                {
                    var repository = new ParkedEventRepository(dataSource);
                    var json = parse.GetValue(output) == OutputOptions.Json;
                    if (parse.GetValue(replay) is { Length: > 0 } toReplay)
                        return await ResolveAsync(repository, toReplay, ParkedEventRepository.Replayed, services, parse, json, ct);
                    if (parse.GetValue(skip) is { Length: > 0 } toSkip)
                        return await ResolveAsync(repository, toSkip, ParkedEventRepository.Skipped, services, parse, json, ct);
                    return await ListAsync(repository, parse.GetValue(all), parse.GetValue(limit), services, parse, json, ct);
                }
                catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException && !ct.IsCancellationRequested)
                {
                    await err.WriteLineAsync($"error: database: {ex.Message}");
                    return Cli.Failed;
                }
            }
        });
        return command;
    }

    private static async Task<int> ListAsync(ParkedEventRepository repository, bool all, int limit, CliServices services, ParseResult parse, bool json, CancellationToken ct)
    {
        var writer = parse.InvocationConfiguration.Output;
        var rows = await repository.ListAsync(all, limit, ct);
        if (json)
        {
            await OutputOptions.WriteJsonAsync(writer, new { count = rows.Count, items = rows });
            return Cli.Ok;
        }

        var console = OutputOptions.Console(writer, services.OutputIsTerminal);
        if (rows.Count == 0)
        {
            console.WriteLine(all ? "No event was ever parked." : "No parked events: everything the relay read went out or is on its way.");
            return Cli.Ok;
        }

        var table = new Table().AddColumns("Event", "Ticket", "Type", "State", "Reason", "Parked at (UTC)", "Times", "Held behind");
        foreach (var row in rows)
        {
            table.AddRow(
                new Text(row.EventId.ToString(CultureInfo.InvariantCulture)),
                new Text("#" + row.TicketId.ToString(CultureInfo.InvariantCulture)),
                new Text(row.Type),
                new Text(row.State),
                new Text(OutputOptions.Shorten(row.Reason, 60)),
                new Text(row.ParkedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
                new Text(row.TimesParked.ToString(CultureInfo.InvariantCulture)),
                new Text(row.Held.ToString(CultureInfo.InvariantCulture)));
        }

        console.Write(table);
        var parked = rows.Count(r => r.State == ParkedEventRepository.Parked);
        console.WriteLine($"{parked} parked event(s), holding {rows.Sum(r => r.Held)} later event(s). Fix the cause, then `opsdesk events parked --replay ID`; or `--skip ID` to give up on one.");
        return Cli.Ok;
    }

    private static async Task<int> ResolveAsync(
        ParkedEventRepository repository, long[] ids, string to, CliServices services, ParseResult parse, bool json, CancellationToken ct)
    {
        var writer = parse.InvocationConfiguration.Output;
        var before = await repository.ResolveAsync(ids, to, services.UserName, ct);
        var items = before.Select(kv => new ResolveOutcome(kv.Key, Outcome(kv.Value, to), kv.Value)).ToList();
        if (json)
        {
            await OutputOptions.WriteJsonAsync(writer, new { action = to == ParkedEventRepository.Replayed ? "replay" : "skip", items });
        }
        else
        {
            foreach (var item in items)
                await writer.WriteLineAsync($"event {item.EventId}: {item.Outcome.Replace('_', ' ')}");
        }

        var unknown = items.Where(i => i.Outcome == NotParked).Select(i => i.EventId).ToList();
        if (unknown.Count > 0)
            await parse.InvocationConfiguration.Error.WriteLineAsync($"error: never parked: {string.Join(", ", unknown)} (see `opsdesk events parked --all`).");
        return unknown.Count > 0 ? Cli.Failed : Cli.Ok;
    }

    private const string NotParked = "not_parked";

    private static string Outcome(string? before, string to) => before switch
    {
        null => NotParked,
        ParkedEventRepository.Parked => to,
        _ => "already_" + before,
    };

    /// <summary>What <c>--replay</c> / <c>--skip</c> did to one event, and its state before.</summary>
    public sealed record ResolveOutcome(long EventId, string Outcome, string? Before);
}
