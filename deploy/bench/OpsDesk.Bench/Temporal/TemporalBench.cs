using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Npgsql;
using OpsDesk.Bench.Measuring;
using OpsDesk.Worker.Commands;
using OpsDesk.Workflows;
using OpsDesk.Workflows.Temporal;
using Temporalio.Client;

namespace OpsDesk.Bench.Temporal;

/// <summary>
/// What the Temporal benchmarks share: their options, the Temporal connection (the CLI's own, from
/// <c>--temporal-address</c>, <c>Temporal__Address</c> or localhost:7233), the JSON report and the
/// commit → workflow started measurement.
/// </summary>
public static class TemporalBench
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Option<int> Count(int fallback) => CliParsers.Number("--count", fallback, 1, 1_000_000, "How many.");

    public static Option<int> Concurrency() => CliParsers.Number("--concurrency", 32, 1, 1024, "In flight at once.");

    /// <summary>A client of the configured Temporal server.</summary>
    public static Task<ITemporalClient> ConnectAsync(IConfiguration configuration, CancellationToken ct) =>
        CliServices.Default.ConnectTemporal(configuration.GetSection(TemporalOptions.Section).Get<TemporalOptions>() ?? new TemporalOptions(), ct);

    public static Task WriteAsync<T>(ParseResult parse, T report) =>
        parse.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(report, Json));

    /// <summary>For each ticket of <paramref name="ids"/>: from its commit to the start of its triage workflow.</summary>
    public static async Task<StartedLoadCommand.StartedReport> CreateToStartedAsync(NpgsqlDataSource db, ITemporalClient client, long[] ids, CancellationToken ct)
    {
        var createdAt = new Dictionary<long, DateTime>();
        await using (var cmd = db.CreateCommand("SELECT id, created_at FROM tickets WHERE id = ANY(@ids)"))
        {
            cmd.Parameters.AddWithValue("ids", ids);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                createdAt[reader.GetInt64(0)] = reader.GetDateTime(1);
        }

        var histogram = LatencySummary.NewHistogram();
        var notStarted = 0;
        foreach (var id in ids)
        {
            try
            {
                var d = await client.GetWorkflowHandle(WorkflowIds.Triage(id)).DescribeAsync(new() { Rpc = new() { CancellationToken = ct } });
                histogram.RecordValue(Math.Max(0, (long)((d.StartTime - createdAt[id]).TotalMilliseconds * 1000)));
            }
            catch (Temporalio.Exceptions.RpcException ex) when (ex.Code == Temporalio.Exceptions.RpcException.StatusCode.NotFound)
            {
                notStarted++;
            }
        }

        return new StartedLoadCommand.StartedReport(ids.Length, notStarted, LatencySummary.From(histogram));
    }
}
