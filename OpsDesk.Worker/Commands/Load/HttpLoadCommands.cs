using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json;

namespace OpsDesk.Worker.Commands.Load;

/// <summary><c>opsdesk load create</c> and <c>opsdesk load read</c>: HTTP load against a running API.</summary>
public static class HttpLoadCommands
{
    public const string TicketsPath = "/api/tickets";

    /// <summary>Distinct ticket bodies a create run cycles through (each request still gets its own idempotency key).</summary>
    public const int BodyPool = 4096;

    public static Command Create(HttpLoadOptions? options = null)
    {
        options ??= new HttpLoadOptions();
        var keys = new Option<bool>("--idempotency-keys")
        {
            Description = "Send a unique Idempotency-Key with every ticket, as a careful client does.",
            DefaultValueFactory = _ => true,
        };
        var command = new Command("create", "POST realistic tickets to /api/tickets and report throughput, errors and latency percentiles.");
        options.AddTo(command);
        command.Options.Add(keys);
        command.SetAction((parse, ct) =>
        {
            var run = Guid.NewGuid().ToString("N")[..8];
            var sendKeys = parse.GetValue(keys);
            // Bodies are generated before the clock starts, so the generator spends its CPU on HTTP,
            // not on making up text: on a small machine that CPU is taken from the API and PostgreSQL.
            var random = new Random();
            var bodies = Enumerable.Range(0, BodyPool).Select(_ => CreateBody(TicketFaker.Next(random))).ToArray();
            return RunAsync(parse, options, "POST", TicketsPath, (http, uri) => async (sequence, token) =>
            {
                using var content = new ByteArrayContent(bodies[sequence % BodyPool]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
                if (sendKeys)
                    request.Headers.TryAddWithoutValidation("Idempotency-Key", $"load-{run}-{sequence}");
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token);
                return (int)response.StatusCode;
            }, ct);
        });
        return command;
    }

    public static Command Read(HttpLoadOptions? options = null)
    {
        options ??= new HttpLoadOptions();
        var path = new Option<string>("--path")
        {
            Description = "Path and query to GET, e.g. '/api/tickets?status=open' or '/api/tickets?q=refund'.",
            DefaultValueFactory = _ => TicketsPath,
        };
        path.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string>() is not { } p || !p.StartsWith('/'))
                r.AddError("--path must start with '/', e.g. /api/tickets?status=open.");
        });
        var command = new Command("read", "GET a list or search page repeatedly and report throughput, errors and latency percentiles.");
        options.AddTo(command);
        command.Options.Add(path);
        command.SetAction((parse, ct) => RunAsync(parse, options, "GET", parse.GetValue(path)!, (http, uri) => async (_, token) =>
        {
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseContentRead, token);
            return (int)response.StatusCode;
        }, ct));
        return command;
    }

    /// <summary>The JSON body of <c>POST /api/tickets</c> for a generated ticket.</summary>
    public static byte[] CreateBody(FakeTicket ticket)
    {
        var buffer = new MemoryStream(768);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("subject", ticket.Subject);
            w.WriteString("description", ticket.Description);
            w.WriteString("source", ticket.Source);
            if (ticket.RequesterEmail is not null)
                w.WriteString("requesterEmail", ticket.RequesterEmail);
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static async Task<int> RunAsync(
        ParseResult parse,
        HttpLoadOptions options,
        string method,
        string pathAndQuery,
        Func<HttpClient, Uri, LoadOperation> operation,
        CancellationToken ct)
    {
        var plan = options.Plan(parse);
        using var http = options.CreateClient(parse, plan);
        var uri = new Uri(http.BaseAddress!, pathAndQuery);
        var report = await LoadRunner.RunAsync($"{method} {uri}", plan, operation(http, uri), ct);
        await ReportWriter.WriteAsync(parse.InvocationConfiguration.Output, report, parse.GetValue(options.Output)!);
        if (report.Requests == 0)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync(
                $"error: no request was sent and answered in the measured {plan.Duration.TotalSeconds:0.###} s; nothing was measured. Use a longer --duration.");
            return Cli.Failed;
        }

        if (report.Succeeded == 0)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync(
                $"error: none of the {report.Requests} requests succeeded ({string.Join(", ", report.Errors.Select(e => $"{e.Key}: {e.Value}"))}). Is the API running at {http.BaseAddress}?");
            return Cli.Failed;
        }

        return Cli.Ok;
    }
}
