using System.CommandLine;
using System.Text.Json;

namespace OpsDesk.Worker.Commands.Load;

/// <summary><c>opsdesk load classify</c>: in-process throughput and latency of the local classifier.</summary>
public static class ClassifyCommand
{
    public static Command Build()
    {
        var concurrency = new Option<int>("--concurrency")
        {
            Description = "Parallel classifications.",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        concurrency.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 1024)
                r.AddError("--concurrency must be a whole number from 1 to 1024.");
        });
        var duration = new Option<TimeSpan>("--duration")
        {
            Description = "How long to measure, e.g. 10s.",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(10),
            CustomParser = r =>
            {
                var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
                if (DurationParser.TryParse(text, out var d) && d > TimeSpan.Zero)
                    return d;
                r.AddError($"--duration must be a duration like 500ms, 20s or 2m above zero (got '{text}').");
                return default;
            },
        };
        var output = new Option<string>("--output")
        {
            Description = "Report format: table or json.",
            DefaultValueFactory = _ => "table",
        };
        output.AcceptOnlyFromAmong("table", "json");

        var command = new Command("classify", "Measure the local classifier's throughput and latency in-process (prints n/a when this build has none).");
        command.Options.Add(concurrency);
        command.Options.Add(duration);
        command.Options.Add(output);
        command.SetAction(async (parse, ct) =>
        {
            var writer = parse.InvocationConfiguration.Output;
            var json = parse.GetValue(output) == "json";
            var classify = ClassifierHook.Create();
            ClassifyReport report;
            if (classify is null)
            {
                report = new ClassifyReport(false, ClassifierHook.MissingReason, null);
            }
            else
            {
                var plan = LoadPlan.ClosedLoop(parse.GetValue(concurrency), parse.GetValue(duration), TimeSpan.FromSeconds(1));
                var result = await LoadRunner.RunAsync("local classifier", plan, async (_, token) =>
                {
                    var ticket = TicketFaker.Next(Random.Shared);
                    await classify(ticket.Subject, ticket.Description, token);
                    return 200;
                }, ct);
                report = new ClassifyReport(true, null, result);
            }

            if (json)
                await writer.WriteLineAsync(JsonSerializer.Serialize(report, LoadJsonContext.Default.ClassifyReport));
            else if (report.Result is { } r)
                await writer.WriteAsync(ReportWriter.Table(r));
            else
                await writer.WriteLineAsync($"local classifier: n/a ({report.Reason})");
            return Cli.Ok;
        });
        return command;
    }
}
