using System.Text.Json;
using OpsDesk.Worker.Commands;

namespace OpsDesk.Tests.Bench;

public sealed class LoadReportTests
{
    [Test]
    public async Task Closed_loop_create_reports_every_request_the_server_received_with_ordered_percentiles()
    {
        await using var server = await RecordingHttpServer.StartAsync();

        var run = await LoadCli.RunAsync("create", "--url", server.BaseAddress.ToString(), "--concurrency", "4", "--duration", "1s",
            "--output", "json", "--api-key", "k-123");

        Assert.That(run.ExitCode, Is.EqualTo(Cli.Ok), run.Stderr);
        var report = run.Json();
        var requests = report.GetProperty("requests").GetInt64();
        Assert.Multiple(() =>
        {
            Assert.That(requests, Is.GreaterThan(0));
            Assert.That(requests, Is.EqualTo(server.Received));
            Assert.That(report.GetProperty("succeeded").GetInt64(), Is.EqualTo(requests));
            Assert.That(report.GetProperty("failed").GetInt64(), Is.Zero);
            Assert.That(report.GetProperty("mode").GetString(), Is.EqualTo("concurrency"));
            Assert.That(report.GetProperty("throughput").GetDouble(), Is.EqualTo(requests / report.GetProperty("elapsedSeconds").GetDouble()).Within(1).Percent);
        });
        AssertOrdered(report.GetProperty("latency"));
    }

    [Test]
    public async Task Create_posts_valid_ticket_json_with_a_unique_idempotency_key_and_the_api_key()
    {
        await using var server = await RecordingHttpServer.StartAsync();

        var run = await LoadCli.RunAsync("create", "--url", server.BaseAddress.ToString(), "--concurrency", "2", "--duration", "300ms",
            "--api-key", "k-123");

        Assert.That(run.ExitCode, Is.EqualTo(Cli.Ok), run.Stderr);
        var requests = server.Requests.ToArray();
        Assert.That(requests, Is.Not.Empty);
        Assert.That(requests.Select(r => r.IdempotencyKey).Distinct().Count(), Is.EqualTo(requests.Length));
        var sources = new HashSet<string>();
        foreach (var r in requests)
        {
            Assert.That((r.Method, r.PathAndQuery, r.ApiKey), Is.EqualTo(("POST", "/api/tickets", "Bearer k-123")));
            using var body = JsonDocument.Parse(r.Body);
            Assert.That(body.RootElement.GetProperty("subject").GetString(), Is.Not.Empty.And.Length.LessThanOrEqualTo(200));
            Assert.That(body.RootElement.GetProperty("description").GetString(), Is.Not.Empty);
            sources.Add(body.RootElement.GetProperty("source").GetString()!);
        }

        Assert.That(sources, Is.SubsetOf(new[] { "web", "email", "api", "chat", "phone" }));
    }

    [Test]
    public async Task Server_errors_are_counted_by_status_code()
    {
        await using var server = await RecordingHttpServer.StartAsync(failEvery: 3);

        var run = await LoadCli.RunAsync("read", "--url", server.BaseAddress.ToString(), "--path", "/api/tickets?status=open",
            "--concurrency", "3", "--duration", "1s", "--output", "json");

        Assert.That(run.ExitCode, Is.EqualTo(Cli.Ok), run.Stderr);
        var report = run.Json();
        Assert.Multiple(() =>
        {
            Assert.That(server.Failed, Is.GreaterThan(0));
            Assert.That(report.GetProperty("requests").GetInt64(), Is.EqualTo(server.Received));
            Assert.That(report.GetProperty("failed").GetInt64(), Is.EqualTo(server.Failed));
            Assert.That(report.GetProperty("errors").GetProperty("500").GetInt64(), Is.EqualTo(server.Failed));
            Assert.That(report.GetProperty("succeeded").GetInt64(), Is.EqualTo(server.Received - server.Failed));
            Assert.That(server.Requests.Select(r => r.PathAndQuery).Distinct(), Is.EqualTo(new[] { "/api/tickets?status=open" }));
        });
    }

    [Test]
    public async Task Alternating_create_sends_to_each_api_in_its_own_slots_and_compares_them_with_the_first()
    {
        await using var first = await RecordingHttpServer.StartAsync();
        await using var second = await RecordingHttpServer.StartAsync(failEvery: 2);

        var run = await LoadCli.RunAsync("create", "--url", first.BaseAddress.ToString(), "--alternate-with", second.BaseAddress.ToString(),
            "--concurrency", "4", "--duration", "2s", "--slot", "250ms");

        Assert.That(run.ExitCode, Is.EqualTo(Cli.Ok), run.Stderr);
        var report = run.Json();
        long[] Longs(string name) => report.GetProperty(name).EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var requests = Longs("requests");
        var failed = Longs("failed");
        var slots = Longs("slotRequests");
        Assert.Multiple(() =>
        {
            Assert.That(report.GetProperty("slots").GetInt32(), Is.EqualTo(8));
            // No warm-up: every request either server received was sent in a measured slot and counted once.
            Assert.That(requests[0] + failed[0], Is.EqualTo(first.Received));
            Assert.That(requests[1] + failed[1], Is.EqualTo(second.Received));
            Assert.That(failed, Is.EqualTo(new[] { 0, second.Failed }));
            Assert.That(second.Failed, Is.GreaterThan(0));
            // Slot i went to target i mod 2, and the slots add up to each target's total.
            Assert.That(slots.Where((_, i) => i % 2 == 0).Sum(), Is.EqualTo(requests[0]));
            Assert.That(slots.Where((_, i) => i % 2 == 1).Sum(), Is.EqualTo(requests[1]));
            Assert.That(report.GetProperty("ratio")[1].GetDouble(), Is.EqualTo((double)requests[1] / requests[0]).Within(0.0001));
            Assert.That(report.GetProperty("ratio")[0].GetDouble(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Alternating_needs_the_closed_loop_and_http_urls()
    {
        var open = await LoadCli.RunAsync("create", "--url", "http://127.0.0.1:9", "--alternate-with", "http://127.0.0.1:10", "--rate", "5", "--duration", "1s");
        var bad = await LoadCli.RunAsync("create", "--url", "http://127.0.0.1:9", "--alternate-with", "ftp://x", "--concurrency", "1", "--duration", "1s");

        Assert.Multiple(() =>
        {
            Assert.That(open.ExitCode, Is.EqualTo(Cli.BadUsage));
            Assert.That(open.Stderr, Does.Contain("--alternate-with needs --concurrency"));
            Assert.That(bad.ExitCode, Is.EqualTo(Cli.BadUsage));
            Assert.That(bad.Stderr, Does.Contain("--alternate-with must be an absolute http"));
        });
    }

    [Test]
    public async Task Open_loop_sends_exactly_rate_times_duration_requests()
    {
        await using var server = await RecordingHttpServer.StartAsync();

        var run = await LoadCli.RunAsync("create", "--url", server.BaseAddress.ToString(), "--rate", "200", "--duration", "1s", "--output", "json");

        Assert.That(run.ExitCode, Is.EqualTo(Cli.Ok), run.Stderr);
        var report = run.Json();
        Assert.Multiple(() =>
        {
            Assert.That(server.Received, Is.EqualTo(200));
            Assert.That(report.GetProperty("requests").GetInt64(), Is.EqualTo(200));
            Assert.That(report.GetProperty("mode").GetString(), Is.EqualTo("rate"));
        });
        AssertOrdered(report.GetProperty("latency"));
        AssertOrdered(report.GetProperty("serviceTime"));
    }

    [Test]
    public async Task Open_loop_latency_counts_from_the_intended_send_time_so_a_stall_is_not_hidden()
    {
        // One sender only: while the first request is held, the next ones fall behind schedule. Their
        // service time stays small, but their latency must carry the wait (no coordinated omission).
        await using var server = await RecordingHttpServer.StartAsync(stallFirst: TimeSpan.FromMilliseconds(600));

        var run = await LoadCli.RunAsync("create", "--url", server.BaseAddress.ToString(), "--rate", "50", "--duration", "1s",
            "--max-in-flight", "1", "--output", "json");

        Assert.That(run.ExitCode, Is.EqualTo(Cli.Ok), run.Stderr);
        var report = run.Json();
        var latency = report.GetProperty("latency");
        var service = report.GetProperty("serviceTime");
        Assert.Multiple(() =>
        {
            Assert.That(report.GetProperty("requests").GetInt64(), Is.EqualTo(50));
            Assert.That(latency.GetProperty("max").GetDouble(), Is.GreaterThanOrEqualTo(600));
            Assert.That(latency.GetProperty("p90").GetDouble(), Is.GreaterThan(200), "requests queued behind the stall");
            Assert.That(service.GetProperty("p90").GetDouble(), Is.LessThan(200), "each request itself was quick");
        });
    }

    [Test]
    public async Task A_table_report_is_the_default_output()
    {
        await using var server = await RecordingHttpServer.StartAsync();

        var run = await LoadCli.RunAsync("read", "--url", server.BaseAddress.ToString(), "--concurrency", "1", "--duration", "1s");

        Assert.That(run.ExitCode, Is.EqualTo(Cli.Ok), run.Stderr);
        Assert.That(run.Stdout, Does.Contain("closed loop with 1 callers").And.Contain("p99 ms").And.Contain($"requests    {server.Received} in"));
    }

    [Test]
    public async Task A_run_where_nothing_succeeds_fails_with_a_message()
    {
        await using var server = await RecordingHttpServer.StartAsync(failEvery: 1);

        var run = await LoadCli.RunAsync("read", "--url", server.BaseAddress.ToString(), "--concurrency", "1", "--duration", "1s");

        Assert.That(run.ExitCode, Is.EqualTo(Cli.Failed));
        Assert.That(run.Stderr, Does.Contain("none of the").And.Contain("500"));
    }

    private static void AssertOrdered(JsonElement latency)
    {
        var p50 = latency.GetProperty("p50").GetDouble();
        var p90 = latency.GetProperty("p90").GetDouble();
        var p99 = latency.GetProperty("p99").GetDouble();
        var max = latency.GetProperty("max").GetDouble();
        Assert.That(p50, Is.GreaterThan(0));
        Assert.That(new[] { p50, p90, p99, max }, Is.Ordered, $"p50 {p50}, p90 {p90}, p99 {p99}, max {max}");
    }
}
