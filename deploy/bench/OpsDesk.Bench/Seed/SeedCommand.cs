using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using OpsDesk.Db.Resilience;
using OpsDesk.Worker.Commands;
using OpsDesk.Workflows.Sla;

namespace OpsDesk.Bench.Seed;

/// <summary><c>opsdesk-bench seed</c>: bulk-load realistic tickets for read benchmarks.</summary>
public sealed class SeedCommand : BenchCommand
{
    private readonly Option<int> tickets = CliParsers.Number<int>("--tickets", null, 1, 100_000_000, "How many tickets to add (each with its ticket.created event).");

    private readonly Option<int> batch = CliParsers.Number("--batch-size", 20_000, 1, 1_000_000, "Tickets per COPY and transaction.");

    private readonly Option<int> seed = new("--random-seed")
    {
        Description = "Seed of the generator, for repeatable data.",
        DefaultValueFactory = _ => 42,
    };

    private readonly Option<int> parallel = CliParsers.Number("--parallel", Math.Max(2, Environment.ProcessorCount), 1, 64, "Batches loaded at once, each on its own connection.");

    private readonly Option<bool> vacuum = new("--vacuum")
    {
        Description = "Run VACUUM (ANALYZE) afterwards so the planner knows the new data.",
        DefaultValueFactory = _ => true,
    };

    public SeedCommand()
        : base("seed", "Bulk-load realistic tickets and their ticket.created events with binary COPY (for read benchmarks).")
    {
        AddOptions(tickets, batch, seed, parallel, vacuum);
    }

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var output = parse.InvocationConfiguration.Output;
        var err = parse.InvocationConfiguration.Error;
        var configuration = CommonOptions.BuildConfiguration(parse);
        await using var dataSource = await CliDatabase.OpenAsync(configuration, err);
        if (dataSource is null)
            return Cli.BadUsage;

        var watch = Stopwatch.StartNew();
        var progressGate = new Lock();
        try
        {
            // The SLA columns as the SLA workflow would set them under this configuration (Sla:*).
            var sla = configuration.GetSection(SlaOptions.Section).Get<SlaOptions>() ?? new SlaOptions();
            var seeder = new TicketSeeder(dataSource, sla.ToPolicy());
            var total = parse.GetValue(tickets);
            var (rows, events) = await seeder.SeedAsync(total, parse.GetValue(batch), parse.GetValue(parallel), parse.GetValue(seed),
                done =>
                {
                    lock (progressGate)
                        err.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seed: {done}/{total} tickets ({TicketSeeder.Rate(done, watch):0} rows/s)"));
                },
                ct);
            var loaded = watch.Elapsed;
            if (parse.GetValue(vacuum))
                await seeder.VacuumAnalyzeAsync(ct);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Seeded {rows} tickets and {events} events in {loaded.TotalSeconds:0.0} s ({rows / Math.Max(0.001, loaded.TotalSeconds):0} tickets/s); {watch.Elapsed.TotalSeconds:0.0} s in all."));
            return Cli.Ok;
        }
        catch (Exception ex) when (DbErrors.IsDatabaseFailure(ex) || ex is ArgumentException or InvalidOperationException)
        {
            await err.WriteLineAsync($"error: seeding failed: {ex.Message}");
            return Cli.Failed;
        }
    }
}
