using System.CommandLine;
using System.Diagnostics;
using OpsDesk.Bench.Measuring;
using OpsDesk.Worker.Commands;
using Temporalio.Client;
using Temporalio.Worker;

namespace OpsDesk.Bench.Temporal;

/// <summary><c>opsdesk-bench temporal</c>: the ceiling — N bare workflows, one no-op activity each, worker in this process.</summary>
public sealed class TemporalBaselineCommand : BenchCommand
{
    private readonly Option<int> count = TemporalBench.Count(2000);

    private readonly Option<int> concurrency = TemporalBench.Concurrency();

    public TemporalBaselineCommand()
        : base("temporal", "Run a bare workflow with one no-op activity N times against Temporal (worker in this process): the server's own ceiling.")
    {
        AddOptions(count, concurrency);
    }

    public sealed record BaselineReport(int Workflows, double Seconds, double WorkflowsPerSecond, LatencySummary StartToCompleteMs);

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var client = await TemporalBench.ConnectAsync(CommonOptions.BuildConfiguration(parse), ct);
        var queue = "bench-noop-" + Guid.NewGuid().ToString("N")[..8];
        using var worker = new TemporalWorker(client, new TemporalWorkerOptions(queue)
            .AddWorkflow<NoopWorkflow>()
            .AddActivity(NoopActivities.Noop));
        var n = parse.GetValue(count);
        var histogram = LatencySummary.NewHistogram();
        var clock = Stopwatch.StartNew();
        await worker.ExecuteAsync(() => Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = parse.GetValue(concurrency), CancellationToken = ct }, async (i, token) =>
        {
            var began = Stopwatch.GetTimestamp();
            await client.ExecuteWorkflowAsync((NoopWorkflow wf) => wf.RunAsync(i), new($"{queue}-{i}", queue) { Rpc = new() { CancellationToken = token } });
            var elapsed = Stopwatch.GetElapsedTime(began);
            lock (histogram)
                histogram.RecordValue((long)(elapsed.TotalMilliseconds * 1000));
        }), ct);
        var seconds = clock.Elapsed.TotalSeconds;
        await TemporalBench.WriteAsync(parse, new BaselineReport(n, Math.Round(seconds, 2), Math.Round(n / seconds, 1), LatencySummary.From(histogram)));
        return Cli.Ok;
    }
}
