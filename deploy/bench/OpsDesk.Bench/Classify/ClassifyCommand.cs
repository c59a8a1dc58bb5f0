using System.CommandLine;
using System.Text.Json;
using OpsDesk.Bench.Http;
using OpsDesk.Bench.Measuring;
using OpsDesk.Bench.Tickets;
using OpsDesk.Worker.Commands;

namespace OpsDesk.Bench.Classify;

/// <summary><c>opsdesk-bench classify</c>: in-process throughput and latency of the local classifier.</summary>
public sealed class ClassifyCommand : BenchCommand
{
    private readonly Option<int> concurrency = CliParsers.Number("--concurrency", Environment.ProcessorCount, 1, 1024, "Parallel classifications.");

    private readonly Option<CliDuration> duration = Durations.Option("--duration", TimeSpan.FromSeconds(10), "How long to measure.", max: HttpLoadOptions.LongestDuration);

    private readonly Option<string> output = OutputOptions.Create();

    public ClassifyCommand()
        : base("classify", "Measure the local classifier's throughput and latency in-process (prints n/a when this build has none).")
    {
        AddOptions(concurrency, duration, output);
    }

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var writer = parse.InvocationConfiguration.Output;
        var classify = ClassifierHook.Create();
        ClassifyReport report;
        if (classify is null)
        {
            report = new ClassifyReport(false, ClassifierHook.MissingReason, null);
        }
        else
        {
            var plan = LoadPlan.ClosedLoop(parse.GetValue(concurrency), parse.GetValue(duration).Value, TimeSpan.FromSeconds(1));
            var result = await LoadRunner.RunAsync("local classifier", plan, async (_, token) =>
            {
                var ticket = TicketFaker.Next(Random.Shared);
                await classify(ticket.Subject, ticket.Description, token);
                return 200;
            }, ct);
            report = new ClassifyReport(true, null, result);
        }

        if (parse.GetValue(output) == OutputOptions.Json)
            await writer.WriteLineAsync(JsonSerializer.Serialize(report, LoadJsonContext.Default.ClassifyReport));
        else if (report.Result is { } r)
            await writer.WriteAsync(ReportWriter.Table(r));
        else
            await writer.WriteLineAsync($"local classifier: n/a ({report.Reason})");
        return Cli.Ok;
    }
}
