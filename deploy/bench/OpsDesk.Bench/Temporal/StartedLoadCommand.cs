using System.CommandLine;
using OpsDesk.Bench.Measuring;
using OpsDesk.Worker.Commands;

namespace OpsDesk.Bench.Temporal;

/// <summary><c>opsdesk-bench started</c>: for a sample of tickets created since a time, commit → triage workflow start.</summary>
public sealed class StartedLoadCommand : BenchCommand
{
    private readonly Option<DateTime> since = new("--since") { Description = "Tickets created at or after this UTC time.", Required = true };

    private readonly Option<int> sample = TemporalBench.Count(500);

    public StartedLoadCommand()
        : base("started", "How long committed tickets waited for their triage workflow to start (a random sample, described one by one).")
    {
        AddOptions(since, sample);
    }

    public sealed record StartedReport(int Sampled, int NotStarted, LatencySummary CreateToStartedMs);

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var configuration = CommonOptions.BuildConfiguration(parse);
        await using var db = await CliDatabase.OpenAsync(configuration, parse.InvocationConfiguration.Error);
        if (db is null)
            return Cli.BadUsage;
        await using var cmd = db.CreateCommand("SELECT id FROM tickets WHERE created_at >= @since ORDER BY random() LIMIT @n");
        cmd.Parameters.AddWithValue("since", DateTime.SpecifyKind(parse.GetValue(since), DateTimeKind.Utc));
        cmd.Parameters.AddWithValue("n", parse.GetValue(sample));
        var ids = new List<long>();
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                ids.Add(reader.GetInt64(0));
        }

        var client = await TemporalBench.ConnectAsync(configuration, ct);
        await TemporalBench.WriteAsync(parse, await TemporalBench.CreateToStartedAsync(db, client, [.. ids], ct));
        // Unstarted tickets are a finding (left to the reconciler), not a failure of the command.
        return Cli.Ok;
    }
}
