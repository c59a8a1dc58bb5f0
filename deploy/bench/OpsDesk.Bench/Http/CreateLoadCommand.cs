using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json;
using OpsDesk.Bench.Measuring;
using OpsDesk.Bench.Tickets;
using OpsDesk.Worker.Commands;

namespace OpsDesk.Bench.Http;

/// <summary><c>opsdesk-bench create</c>: POST realistic tickets to a running API and report throughput, errors and latency.</summary>
public sealed class CreateLoadCommand : BenchCommand
{
    public const string TicketsPath = "/api/tickets";

    /// <summary>Distinct ticket bodies a create run cycles through (each request still gets its own idempotency key).</summary>
    public const int BodyPool = 4096;

    private readonly Option<bool> idempotencyKeys = new("--idempotency-keys")
    {
        Description = "Send a unique Idempotency-Key with every ticket, as a careful client does.",
        DefaultValueFactory = _ => true,
    };

    private readonly Option<Uri[]> alternateWith = new("--alternate-with")
    {
        Description = "More APIs (base URLs, repeatable): the callers send to --url and to these in turns of --slot (closed loop only), "
            + "and the report (JSON, whatever --output says) compares each with --url slot by slot (the telemetry on/off benchmark).",
        CustomParser = r => r.Tokens.Select(t => HttpLoadOptions.ParseUrl(r, t.Value)).ToArray(),
    };

    private readonly Option<CliDuration> slot = Durations.Option("--slot", TimeSpan.FromSeconds(1), "With --alternate-with: how long each turn lasts.",
        max: TimeSpan.FromMinutes(10));

    public CreateLoadCommand()
        : base("create", "POST realistic tickets to /api/tickets and report throughput, errors and latency percentiles.")
    {
        Load.AddTo(this);
        AddOptions(idempotencyKeys, alternateWith, slot);
        Validators.Add(r =>
        {
            if (r.GetResult(alternateWith) is not null && r.GetResult(Load.Concurrency) is null)
                r.AddError("--alternate-with needs --concurrency (closed loop).");
        });
    }

    /// <summary>The pacing and connection options.</summary>
    public HttpLoadOptions Load { get; } = new();

    protected override Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var sendKeys = parse.GetValue(idempotencyKeys);
        // Bodies are generated before the clock starts, so the generator spends its CPU on HTTP,
        // not on making up text: on a small machine that CPU is taken from the API and PostgreSQL.
        var random = new Random();
        var bodies = Enumerable.Range(0, BodyPool).Select(_ => TicketFaker.Next(random).CreateRequestBody()).ToArray();
        if (parse.GetValue(alternateWith) is { Length: > 0 } others)
            return RunAlternatingAsync(parse, others, (http, uri) => Post(http, uri, bodies, sendKeys, run), ct);
        return Load.RunAsync(parse, "POST", TicketsPath, (http, uri) => Post(http, uri, bodies, sendKeys, run), ct);
    }

    private static LoadOperation Post(HttpClient http, Uri uri, byte[][] bodies, bool sendKeys, string run) =>
        async (sequence, token) =>
        {
            using var content = new ByteArrayContent(bodies[sequence % BodyPool]);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
            if (sendKeys)
                request.Headers.TryAddWithoutValidation("Idempotency-Key", $"load-{run}-{sequence}");
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token);
            return (int)response.StatusCode;
        };

    private async Task<int> RunAlternatingAsync(ParseResult parse, Uri[] others, Func<HttpClient, Uri, LoadOperation> operation, CancellationToken ct)
    {
        var plan = Load.Plan(parse);
        using var http = Load.CreateClient(parse, plan);
        Uri[] uris = [new(http.BaseAddress!, TicketsPath), .. others.Select(o => new Uri(o, TicketsPath))];
        var report = await AlternatingLoadRunner.RunAsync(
            uris.Select(u => $"POST {u}").ToArray(), uris.Select(u => operation(http, u)).ToArray(),
            plan.Concurrency, plan.Duration, plan.Warmup, parse.GetValue(slot).Value, ct);
        await parse.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(report, LoadJsonContext.Default.AlternatingReport));
        if (report.Requests.Any(n => n == 0))
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync(
                $"error: a target answered nothing in its slots ({string.Join(", ", report.Requests)} requests succeeded). Are all the APIs running?");
            return Cli.Failed;
        }

        return Cli.Ok;
    }
}
