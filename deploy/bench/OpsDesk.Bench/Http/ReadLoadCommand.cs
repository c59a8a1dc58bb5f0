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

    public ReadLoadCommand()
        : base("read", "GET a list or search page repeatedly and report throughput, errors and latency percentiles.")
    {
        path.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string>() is not { } p || !p.StartsWith('/'))
                r.AddError("--path must start with '/', e.g. /api/tickets?status=open.");
        });
        Load.AddTo(this);
        AddOptions(path);
    }

    /// <summary>The pacing and connection options.</summary>
    public HttpLoadOptions Load { get; } = new();

    protected override Task<int> RunAsync(ParseResult parse, CancellationToken ct) =>
        Load.RunAsync(parse, "GET", parse.GetValue(path)!, (http, uri) => async (_, token) =>
        {
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseContentRead, token);
            return (int)response.StatusCode;
        }, ct);
}
