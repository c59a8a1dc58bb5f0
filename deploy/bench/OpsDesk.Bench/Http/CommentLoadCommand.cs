using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;

namespace OpsDesk.Bench.Http;

/// <summary>
/// <c>opsdesk-bench comment</c>: POST public agent replies to existing tickets of a running API (each with its
/// own Idempotency-Key, spread over tickets 1..--tickets so that replies rarely wait for one ticket's lock)
/// and report throughput, errors and latency.
/// </summary>
public sealed class CommentLoadCommand : BenchCommand
{
    private static readonly string[] Replies =
    [
        "Thanks for writing in. We can see the failed payment and have asked the bank to reverse it; you will hear from us within a day.",
        "Sorry about this. Could you send the order number and the last four digits of the card so we can trace the charge?",
        "The refund was issued today and usually reaches your account in 5 to 7 working days.",
        "We have reset the one-time password service for your number; please try to log in again and tell us if it still fails.",
    ];

    private readonly Option<int> tickets = new("--tickets")
    {
        Description = "Reply on tickets with ids 1..N (they must exist, e.g. seeded by opsdesk-bench seed).",
        DefaultValueFactory = _ => 10_000,
    };

    public CommentLoadCommand()
        : base("comment", "POST public agent replies to /api/tickets/{id}/comments and report throughput, errors and latency percentiles.")
    {
        tickets.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
                r.AddError("--tickets must be at least 1.");
        });
        Load.AddTo(this);
        AddOptions(tickets);
    }

    /// <summary>The pacing and connection options.</summary>
    public HttpLoadOptions Load { get; } = new();

    protected override Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var count = parse.GetValue(tickets);
        var bodies = Replies.Select(r => Encoding.UTF8.GetBytes($$"""{"body":"{{r}}","public":true}""")).ToArray();
        return Load.RunAsync(parse, "POST", "/api/tickets/1/comments", (http, uri) => async (sequence, token) =>
        {
            // A stride coprime with most counts walks the tickets in an order that spreads consecutive replies.
            var ticket = 1 + (sequence * 7919L % count);
            using var content = new ByteArrayContent(bodies[sequence % bodies.Length]);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(uri, $"/api/tickets/{ticket}/comments")) { Content = content };
            request.Headers.TryAddWithoutValidation("Idempotency-Key", $"load-{run}-{sequence}");
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token);
            return (int)response.StatusCode;
        }, ct);
    }
}
