using System.CommandLine;

namespace OpsDesk.Bench.Http;

/// <summary><c>opsdesk-bench read</c>: GET a list or search page of a running API repeatedly and report throughput, errors and latency.</summary>
public sealed class ReadLoadCommand : BenchCommand
{
    private readonly Option<string> path = new("--path")
    {
        Description = "Path and query to GET, e.g. '/api/tickets?status=open' or '/api/tickets?q=refund'.",
        DefaultValueFactory = _ => CreateLoadCommand.TicketsPath,
    };

    private readonly Option<string?> consoleKey = new("--console-key")
    {
        Description = "Sign in to the agent console with this agent or admin key first and GET pages with its session cookie (e.g. --path /console/queue); a redirect then counts as an error.",
    };

    public ReadLoadCommand()
        : base("read", "GET a list or search page (or, with --console-key, a console page) repeatedly and report throughput, errors and latency percentiles.")
    {
        path.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string>() is not { } p || !p.StartsWith('/'))
                r.AddError("--path must start with '/', e.g. /api/tickets?status=open.");
        });
        Load.AddTo(this);
        AddOptions(path, consoleKey);
    }

    /// <summary>The pacing and connection options.</summary>
    public HttpLoadOptions Load { get; } = new();

    protected override Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var key = parse.GetValue(consoleKey);
        string? session = null;
        return Load.RunAsync(parse, "GET", parse.GetValue(path)!, (http, uri) => async (_, token) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            if (session is not null)
                request.Headers.TryAddWithoutValidation("Cookie", session);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token);
            // A page that redirects (to the sign-in) was not rendered: not a success.
            if (session is not null && (int)response.StatusCode is >= 300 and < 400)
                throw new HttpRequestException($"redirected to {response.Headers.Location}");
            return (int)response.StatusCode;
        }, ct, key is null ? null : async (http, token) => session = await ConsoleSession.SignInAsync(http, key, token));
    }
}
