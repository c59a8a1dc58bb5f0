using System.CommandLine;
using System.CommandLine.Parsing;
using OpsDesk.Bench.Measuring;
using OpsDesk.Worker.Commands;

namespace OpsDesk.Bench.Http;

/// <summary>
/// The options every HTTP load command takes, with their validation, and the run they share: pace
/// the operation, report, and fail when nothing was measured. One instance per command.
/// </summary>
public sealed class HttpLoadOptions
{
    public const string ModeError = "Give exactly one of --rate (open loop, requests per second) or --concurrency (closed loop, parallel callers).";

    /// <summary>The longest --duration, --warmup and --timeout.</summary>
    public static readonly TimeSpan LongestDuration = TimeSpan.FromDays(1);

    public Option<Uri> Url { get; } = new("--url")
    {
        Description = "Base URL of the OpsDesk API, e.g. http://127.0.0.1:5080.",
        Required = true,
        CustomParser = ParseUrl,
    };

    public Option<double?> Rate { get; } = new("--rate")
    {
        Description = "Open loop: send this many requests per second whatever the server does; latency counts from each request's intended send time.",
    };

    public Option<int?> Concurrency { get; } = new("--concurrency")
    {
        Description = "Closed loop: this many callers, each sending its next request when the previous one answered.",
    };

    public Option<CliDuration> Duration { get; } = Durations.Option("--duration", null, "How long to measure.", max: LongestDuration);

    public Option<CliDuration> Warmup { get; } = Durations.Option("--warmup", TimeSpan.Zero, "Load to send before measuring (not counted).", allowZero: true, max: LongestDuration);

    public Option<int> MaxInFlight { get; } = CliParsers.Number("--max-in-flight", 256, 1, 10_000,
        "Open loop: the most requests outstanding at once (later ones leave late, and that counts in their latency).");

    public Option<CliDuration> Timeout { get; } = Durations.Option("--timeout", TimeSpan.FromSeconds(30), "Per-request timeout; a timed-out request counts as an error.", max: LongestDuration);

    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = "API key to send with every request (as Authorization: Bearer <key> by default).",
    };

    public Option<string> ApiKeyHeader { get; } = new("--api-key-header")
    {
        Description = "Header that carries --api-key (Authorization sends it as a Bearer token).",
        DefaultValueFactory = _ => "Authorization",
    };

    public Option<string[]> Headers { get; } = new("--header")
    {
        Description = "An extra header for every request, as 'Name: value' (repeatable), e.g. 'X-Forwarded-Proto: https' for an API behind a TLS proxy.",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string> Output { get; } = OutputOptions.Create();

    public void AddTo(Command command)
    {
        Rate.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double?>() is { } rate && (rate <= 0 || double.IsNaN(rate) || rate > 1_000_000))
                r.AddError("--rate must be a number of requests per second above 0 (at most 1000000).");
        });
        Concurrency.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is { } c && c is < 1 or > 10_000)
                r.AddError("--concurrency must be a whole number from 1 to 10000.");
        });

        Headers.Validators.Add(r =>
        {
            foreach (var h in r.GetValueOrDefault<string[]>() ?? [])
            {
                if (h.IndexOf(':', StringComparison.Ordinal) is < 1)
                    r.AddError($"--header must be 'Name: value' (got '{h}').");
            }
        });

        foreach (var option in (Option[])[Url, Rate, Concurrency, Duration, Warmup, MaxInFlight, Timeout, ApiKey, ApiKeyHeader, Headers, Output])
            command.Options.Add(option);

        command.Validators.Add(result =>
        {
            var rate = result.GetResult(Rate) is not null;
            var concurrency = result.GetResult(Concurrency) is not null;
            if (rate == concurrency)
                result.AddError(ModeError);
        });
    }

    /// <summary>The pacing the parsed options ask for.</summary>
    public LoadPlan Plan(ParseResult parse)
    {
        var duration = parse.GetValue(Duration).Value;
        var warmup = parse.GetValue(Warmup).Value;
        return parse.GetValue(Rate) is { } rate
            ? LoadPlan.OpenLoop(rate, duration, warmup, parse.GetValue(MaxInFlight))
            : LoadPlan.ClosedLoop(parse.GetValue(Concurrency) ?? 1, duration, warmup);
    }

    /// <summary>An HTTP client for the run: one connection per caller, kept for the whole run, no proxy, no cookies.</summary>
    public HttpClient CreateClient(ParseResult parse, LoadPlan plan)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            MaxConnectionsPerServer = plan.Mode == LoadMode.Rate ? plan.MaxInFlight : plan.Concurrency,
            PooledConnectionLifetime = System.Threading.Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        var client = new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = parse.GetValue(Url),
            Timeout = parse.GetValue(Timeout).Value,
        };
        if (parse.GetValue(ApiKey) is { Length: > 0 } key)
        {
            var header = parse.GetValue(ApiKeyHeader)!;
            var value = string.Equals(header, "Authorization", StringComparison.OrdinalIgnoreCase) ? "Bearer " + key : key;
            client.DefaultRequestHeaders.TryAddWithoutValidation(header, value);
        }

        foreach (var h in parse.GetValue(Headers) ?? [])
        {
            var colon = h.IndexOf(':', StringComparison.Ordinal);
            client.DefaultRequestHeaders.TryAddWithoutValidation(h[..colon].Trim(), h[(colon + 1)..].Trim());
        }

        return client;
    }

    /// <summary>
    /// Runs <paramref name="operation"/> at <paramref name="pathAndQuery"/> as the options ask and writes
    /// the report; exit code 1 when nothing was measured or nothing succeeded.
    /// </summary>
    /// <remarks><paramref name="prepare"/>, when given, runs once on the client before the clock starts (a sign-in).</remarks>
    public async Task<int> RunAsync(ParseResult parse, string method, string pathAndQuery, Func<HttpClient, Uri, LoadOperation> operation, CancellationToken ct,
        Func<HttpClient, CancellationToken, Task>? prepare = null)
    {
        var plan = Plan(parse);
        using var http = CreateClient(parse, plan);
        if (prepare is not null)
            await prepare(http, ct);
        var uri = new Uri(http.BaseAddress!, pathAndQuery);
        var report = await LoadRunner.RunAsync($"{method} {uri}", plan, operation(http, uri), ct);
        await ReportWriter.WriteAsync(parse.InvocationConfiguration.Output, report, parse.GetValue(Output)!);
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

    private static Uri ParseUrl(ArgumentResult result) => ParseUrl(result, result.Tokens.Count > 0 ? result.Tokens[0].Value : "");

    /// <summary><paramref name="text"/> as an absolute http(s) URL, or an error naming the option.</summary>
    public static Uri ParseUrl(ArgumentResult result, string text)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            return uri;
        var name = (result.Parent as OptionResult)?.Option.Name ?? "--url";
        result.AddError($"{name} must be an absolute http:// or https:// URL (got '{text}').");
        return null!;
    }
}
