using System.CommandLine;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using OpsDesk.Bench.Http;
using OpsDesk.Bench.Measuring;
using OpsDesk.Bench.Tickets;
using OpsDesk.Db.Events;
using OpsDesk.Db.Tickets;
using OpsDesk.Worker.Commands;

namespace OpsDesk.Bench.Temporal;

/// <summary>
/// <c>opsdesk-bench triage</c>: N tickets created over HTTP, then until the worker host has classified
/// each one: triage throughput and create → classified latency.
/// </summary>
public sealed class TriageLoadCommand : BenchCommand
{
    private readonly Option<string> url = new("--url") { Description = "Base URL of the API.", Required = true };

    private readonly Option<string?> key = new("--api-key") { Description = "Agent key to create with (anonymous without)." };

    private readonly Option<int> count = TemporalBench.Count(2000);

    private readonly Option<int> concurrency = TemporalBench.Concurrency();

    public TriageLoadCommand()
        : base("triage", "Create tickets over HTTP and wait until the worker host has classified every one: triage throughput and create → classified latency. " +
                         "Reads the database (--connection-string) and Temporal (--temporal-address).")
    {
        AddOptions(url, key, count, concurrency);
    }

    public sealed record TriageReport(int Tickets, int Classified, double CreateSeconds, double TriageSeconds, double TicketsPerSecond,
        LatencySummary CreateToClassifiedMs, LatencySummary CreateToStartedMs, int Failed);

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var configuration = CommonOptions.BuildConfiguration(parse);
        await using var db = await CliDatabase.OpenAsync(configuration, parse.InvocationConfiguration.Error);
        if (db is null)
            return Cli.BadUsage;
        using var http = new HttpClient { BaseAddress = new Uri(parse.GetValue(url)!), Timeout = TimeSpan.FromSeconds(30) };
        if (parse.GetValue(key) is { Length: > 0 } k)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", k);
        var n = parse.GetValue(count);
        var ids = new long[n];
        var failed = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = parse.GetValue(concurrency), CancellationToken = ct }, async (i, token) =>
        {
            using var content = new ByteArrayContent(TicketFaker.Next(Random.Shared).CreateRequestBody());
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, CreateLoadCommand.TicketsPath) { Content = content };
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

        var deadline = DateTime.UtcNow.AddMinutes(10);
        long classified;
        do
        {
            await using var cmd = db.CreateCommand($"SELECT count(*) FROM tickets WHERE id = ANY(@ids) AND triage_status IN ('{TriageStatuses.Classified}', '{TriageStatuses.Failed}')");
            cmd.Parameters.AddWithValue("ids", created);
            classified = (long)(await cmd.ExecuteScalarAsync(ct))!;
            if (classified < created.Length)
                await Task.Delay(100, ct);
        }
        while (classified < created.Length && DateTime.UtcNow < deadline);
        var triageSeconds = clock.Elapsed.TotalSeconds;

        // From commit to the ticket.classified event, both stamped by PostgreSQL's clock.
        var toClassified = LatencySummary.NewHistogram();
        await using (var cmd = db.CreateCommand($"""
            SELECT (extract(epoch FROM e.occurred_at - t.created_at) * 1000000)::bigint
            FROM tickets t JOIN ticket_events e ON e.ticket_id = t.id AND e.type = '{EventTypes.TicketClassified}'
            WHERE t.id = ANY(@ids)
            """))
        {
            cmd.Parameters.AddWithValue("ids", created);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                toClassified.RecordValue(Math.Max(0, reader.GetInt64(0)));
        }

        var client = await TemporalBench.ConnectAsync(configuration, ct);
        var started = await TemporalBench.CreateToStartedAsync(db, client, created.OrderBy(_ => Random.Shared.Next()).Take(500).ToArray(), ct);
        var report = new TriageReport(n, (int)classified, Math.Round(createSeconds, 2), Math.Round(triageSeconds, 2),
            Math.Round(classified / triageSeconds, 1), LatencySummary.From(toClassified), started.CreateToStartedMs, failed);
        await TemporalBench.WriteAsync(parse, report);
        return classified == created.Length && failed == 0 ? Cli.Ok : Cli.Failed;
    }
}
