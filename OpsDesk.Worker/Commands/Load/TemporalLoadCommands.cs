using System.CommandLine;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using HdrHistogram;
using Npgsql;
using OpsDesk.Workflows;
using Temporalio.Client;
using Temporalio.Worker;

namespace OpsDesk.Worker.Commands.Load;

/// <summary>
/// Benchmarks of the Temporal side: tickets created over HTTP until classified by the worker host
/// (<c>load triage</c>), how long a committed ticket waits for its workflow to start
/// (<c>load started</c>), and the ceiling: a bare workflow with one no-op activity (<c>load temporal</c>).
/// </summary>
public static class TemporalLoadCommands
{
    public sealed record TriageReport(int Tickets, int Classified, double CreateSeconds, double TriageSeconds, double TicketsPerSecond,
        LatencySummary CreateToClassifiedMs, LatencySummary CreateToStartedMs, int Failed);

    public sealed record BaselineReport(int Workflows, double Seconds, double WorkflowsPerSecond, LatencySummary StartToCompleteMs);

    public sealed record StartedReport(int Sampled, int NotStarted, LatencySummary CreateToStartedMs);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private static Option<int> Count(int fallback) => CliParsers.Number("--count", fallback, 1, 1_000_000, "How many.");

    private static Option<int> Concurrency() => CliParsers.Number("--concurrency", 32, 1, 1024, "In flight at once.");

    private static Option<string> Required(string name, string description) => new(name) { Description = description, Required = true };

    /// <summary><c>load triage</c>: N tickets through the API, then until each is classified.</summary>
    public static Command Triage()
    {
        var url = Required("--url", "Base URL of the API.");
        var key = new Option<string?>("--api-key") { Description = "Agent key to create with (anonymous without)." };
        var connection = Required("--connection-string", "The OpsDesk database, to see when tickets are classified.");
        var temporal = Required("--temporal-address", "host:port of Temporal, to read when each workflow started.");
        var count = Count(2000);
        var concurrency = Concurrency();
        var command = new Command("triage", "Create tickets over HTTP and wait until the worker host has classified every one: triage throughput and create → classified latency.")
        {
            url, key, connection, temporal, count, concurrency,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var http = new HttpClient { BaseAddress = new Uri(parse.GetValue(url)!), Timeout = TimeSpan.FromSeconds(30) };
            if (parse.GetValue(key) is { Length: > 0 } k)
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", k);
            var n = parse.GetValue(count);
            var ids = new long[n];
            var failed = 0;
            var clock = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = parse.GetValue(concurrency), CancellationToken = ct }, async (i, token) =>
            {
                using var content = new ByteArrayContent(HttpLoadCommands.CreateBody(TicketFaker.Next(Random.Shared)));
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/tickets") { Content = content };
                request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
                using var response = await http.SendAsync(request, token);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failed);
                    return;
                }

                using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(token));
                ids[i] = body.RootElement.GetProperty("id").GetInt64();
            });
            var createSeconds = clock.Elapsed.TotalSeconds;
            var created = ids.Where(id => id > 0).ToArray();

            await using var db = NpgsqlDataSource.Create(parse.GetValue(connection)!);
            var deadline = DateTime.UtcNow.AddMinutes(10);
            long classified;
            do
            {
                await using var cmd = db.CreateCommand("SELECT count(*) FROM tickets WHERE id = ANY(@ids) AND triage_status IN ('classified', 'failed')");
                cmd.Parameters.AddWithValue("ids", created);
                classified = (long)(await cmd.ExecuteScalarAsync(ct))!;
                if (classified < created.Length)
                    await Task.Delay(100, ct);
            }
            while (classified < created.Length && DateTime.UtcNow < deadline);
            var triageSeconds = clock.Elapsed.TotalSeconds;

            // From commit to the ticket.classified event, both stamped by PostgreSQL's clock.
            var toClassified = new LongHistogram(TimeSpan.FromMinutes(30).Ticks / 10, 3);
            await using (var cmd = db.CreateCommand("""
                SELECT (extract(epoch FROM e.occurred_at - t.created_at) * 1000000)::bigint
                FROM tickets t JOIN ticket_events e ON e.ticket_id = t.id AND e.type = 'ticket.classified'
                WHERE t.id = ANY(@ids)
                """))
            {
                cmd.Parameters.AddWithValue("ids", created);
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                    toClassified.RecordValue(Math.Max(0, reader.GetInt64(0)));
            }

            var started = await CreateToStartedAsync(db, parse.GetValue(temporal)!, created.OrderBy(_ => Random.Shared.Next()).Take(500).ToArray(), ct);
            var report = new TriageReport(n, (int)classified, Math.Round(createSeconds, 2), Math.Round(triageSeconds, 2),
                Math.Round(classified / triageSeconds, 1), LatencySummary.From(toClassified), started.CreateToStartedMs, failed);
            await parse.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(report, Json));
            return classified == created.Length && failed == 0 ? Cli.Ok : Cli.Failed;
        });
        return command;
    }

    /// <summary><c>load started</c>: for a sample of tickets created since a time, commit → workflow start.</summary>
    public static Command Started()
    {
        var connection = Required("--connection-string", "The OpsDesk database.");
        var temporal = Required("--temporal-address", "host:port of Temporal.");
        var since = new Option<DateTime>("--since") { Description = "Tickets created at or after this UTC time.", Required = true };
        var sample = Count(500);
        var command = new Command("started", "How long committed tickets waited for their triage workflow to start (a random sample, described one by one).")
        {
            connection, temporal, since, sample,
        };
        command.SetAction(async (parse, ct) =>
        {
            await using var db = NpgsqlDataSource.Create(parse.GetValue(connection)!);
            await using var cmd = db.CreateCommand("SELECT id FROM tickets WHERE created_at >= @since ORDER BY random() LIMIT @n");
            cmd.Parameters.AddWithValue("since", DateTime.SpecifyKind(parse.GetValue(since), DateTimeKind.Utc));
            cmd.Parameters.AddWithValue("n", parse.GetValue(sample));
            var ids = new List<long>();
            await using (var reader = await cmd.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                    ids.Add(reader.GetInt64(0));
            }

            var report = await CreateToStartedAsync(db, parse.GetValue(temporal)!, [.. ids], ct);
            await parse.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(report, Json));
            // Unstarted tickets are a finding (left to the reconciler), not a failure of the command.
            return Cli.Ok;
        });
        return command;
    }

    private static async Task<StartedReport> CreateToStartedAsync(NpgsqlDataSource db, string address, long[] ids, CancellationToken ct)
    {
        var client = await TemporalClient.ConnectAsync(new(address) { Runtime = QuietTemporalRuntime.Instance });
        var createdAt = new Dictionary<long, DateTime>();
        await using (var cmd = db.CreateCommand("SELECT id, created_at FROM tickets WHERE id = ANY(@ids)"))
        {
            cmd.Parameters.AddWithValue("ids", ids);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                createdAt[reader.GetInt64(0)] = reader.GetDateTime(1);
        }

        var histogram = new LongHistogram(TimeSpan.FromMinutes(30).Ticks / 10, 3);
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

        return new StartedReport(ids.Length, notStarted, LatencySummary.From(histogram));
    }

    /// <summary><c>load temporal</c>: the ceiling — N bare workflows, one no-op activity each, in-process worker.</summary>
    public static Command Baseline()
    {
        var temporal = Required("--temporal-address", "host:port of Temporal.");
        var count = Count(2000);
        var concurrency = Concurrency();
        var command = new Command("temporal", "Run a bare workflow with one no-op activity N times against Temporal (worker in this process): the server's own ceiling.")
        {
            temporal, count, concurrency,
        };
        command.SetAction(async (parse, ct) =>
        {
            var client = await TemporalClient.ConnectAsync(new(parse.GetValue(temporal)!) { Runtime = QuietTemporalRuntime.Instance });
            var queue = "bench-noop-" + Guid.NewGuid().ToString("N")[..8];
            using var worker = new TemporalWorker(client, new TemporalWorkerOptions(queue)
                .AddWorkflow<NoopWorkflow>()
                .AddActivity(NoopActivities.Noop));
            var n = parse.GetValue(count);
            var histogram = new LongHistogram(TimeSpan.FromMinutes(30).Ticks / 10, 3);
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
            var report = new BaselineReport(n, Math.Round(seconds, 2), Math.Round(n / seconds, 1), LatencySummary.From(histogram));
            await parse.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(report, Json));
            return Cli.Ok;
        });
        return command;
    }
}
