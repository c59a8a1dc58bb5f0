using System.CommandLine;
using System.Net.Http.Headers;
using OpsDesk.Bench.Tickets;

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

    public CreateLoadCommand()
        : base("create", "POST realistic tickets to /api/tickets and report throughput, errors and latency percentiles.")
    {
        Load.AddTo(this);
        AddOptions(idempotencyKeys);
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
        return Load.RunAsync(parse, "POST", TicketsPath, (http, uri) => async (sequence, token) =>
        {
            using var content = new ByteArrayContent(bodies[sequence % BodyPool]);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
            if (sendKeys)
                request.Headers.TryAddWithoutValidation("Idempotency-Key", $"load-{run}-{sequence}");
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token);
            return (int)response.StatusCode;
        }, ct);
    }
}
