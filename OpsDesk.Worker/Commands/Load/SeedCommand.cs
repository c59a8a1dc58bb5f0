using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Npgsql;
using OpsDesk.Db;

namespace OpsDesk.Worker.Commands.Load;

/// <summary><c>opsdesk load seed</c>: bulk-load realistic tickets for read benchmarks.</summary>
public static class SeedCommand
{
    public static Command Build()
    {
        var tickets = new Option<int>("--tickets")
        {
            Description = "How many tickets to add (each with its ticket.created event).",
            Required = true,
        };
        tickets.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 100_000_000)
                r.AddError("--tickets must be a whole number from 1 to 100000000.");
        });
        var batch = new Option<int>("--batch-size")
        {
            Description = "Tickets per COPY and transaction.",
            DefaultValueFactory = _ => 20_000,
        };
        batch.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 1_000_000)
                r.AddError("--batch-size must be a whole number from 1 to 1000000.");
        });
        var seed = new Option<int>("--random-seed")
        {
            Description = "Seed of the generator, for repeatable data.",
            DefaultValueFactory = _ => 42,
        };
        var parallel = new Option<int>("--parallel")
        {
            Description = "Batches loaded at once, each on its own connection.",
            DefaultValueFactory = _ => Math.Max(2, Environment.ProcessorCount),
        };
        parallel.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 64)
                r.AddError("--parallel must be a whole number from 1 to 64.");
        });
        var vacuum = new Option<bool>("--vacuum")
        {
            Description = "Run VACUUM (ANALYZE) afterwards so the planner knows the new data.",
            DefaultValueFactory = _ => true,
        };

        var command = new Command("seed", "Bulk-load realistic tickets and their ticket.created events with binary COPY (for read benchmarks).");
        command.Options.Add(tickets);
        command.Options.Add(batch);
        command.Options.Add(seed);
        command.Options.Add(parallel);
        command.Options.Add(vacuum);
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var err = parse.InvocationConfiguration.Error;
            var cs = CommonOptions.BuildConfiguration(parse).GetConnectionString(OpsDeskDbServiceCollectionExtensions.ConnectionStringName);
            if (string.IsNullOrWhiteSpace(cs))
            {
                await err.WriteLineAsync("error: no database configured. Set ConnectionStrings__OpsDesk or pass --connection-string.");
                return Cli.BadUsage;
            }

            var watch = Stopwatch.StartNew();
            var progressGate = new Lock();
            try
            {
                await using var dataSource = NpgsqlDataSource.Create(cs);
                var seeder = new TicketSeeder(dataSource);
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
            catch (Exception ex) when (OpsDesk.Db.Resilience.DbErrors.IsDatabaseFailure(ex) || ex is ArgumentException or InvalidOperationException)
            {
                await err.WriteLineAsync($"error: seeding failed: {ex.Message}");
                return Cli.Failed;
            }
        });
        return command;
    }
}
