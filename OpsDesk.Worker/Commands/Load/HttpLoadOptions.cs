using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace OpsDesk.Worker.Commands.Load;

/// <summary>The options every HTTP load subcommand takes, with their validation. One instance per command.</summary>
public sealed class HttpLoadOptions
{
    public const string ModeError = "Give exactly one of --rate (open loop, requests per second) or --concurrency (closed loop, parallel callers).";

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

    public Option<TimeSpan> Duration { get; } = new("--duration")
    {
        Description = "How long to measure, e.g. 20s, 500ms, 2m.",
        Required = true,
        CustomParser = r => ParseDuration(r, "--duration", allowZero: false),
    };

    public Option<TimeSpan> Warmup { get; } = new("--warmup")
    {
        Description = "Load to send before measuring (not counted), e.g. 2s.",
        DefaultValueFactory = _ => TimeSpan.Zero,
        CustomParser = r => ParseDuration(r, "--warmup", allowZero: true),
    };

    public Option<int> MaxInFlight { get; } = new("--max-in-flight")
    {
        Description = "Open loop: the most requests outstanding at once (later ones leave late, and that counts in their latency).",
        DefaultValueFactory = _ => 256,
    };

    public Option<TimeSpan> Timeout { get; } = new("--timeout")
    {
        Description = "Per-request timeout; a timed-out request counts as an error.",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(30),
        CustomParser = r => ParseDuration(r, "--timeout", allowZero: false),
    };

    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = "API key to send with every request (as Authorization: Bearer <key> by default).",
    };

    public Option<string> ApiKeyHeader { get; } = new("--api-key-header")
    {
        Description = "Header that carries --api-key (Authorization sends it as a Bearer token).",
        DefaultValueFactory = _ => "Authorization",
    };

    public Option<string> Output { get; } = new("--output")
    {
        Description = "Report format: table (for people) or json (for scripts).",
        DefaultValueFactory = _ => "table",
    };

    public void AddTo(Command command)
    {
        Output.AcceptOnlyFromAmong("table", "json");
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
        MaxInFlight.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 10_000)
                r.AddError("--max-in-flight must be a whole number from 1 to 10000.");
        });

        foreach (var option in (Option[])[Url, Rate, Concurrency, Duration, Warmup, MaxInFlight, Timeout, ApiKey, ApiKeyHeader, Output])
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
        var duration = parse.GetValue(Duration);
        var warmup = parse.GetValue(Warmup);
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
            Timeout = parse.GetValue(Timeout),
        };
        if (parse.GetValue(ApiKey) is { Length: > 0 } key)
        {
            var header = parse.GetValue(ApiKeyHeader)!;
            var value = string.Equals(header, "Authorization", StringComparison.OrdinalIgnoreCase) ? "Bearer " + key : key;
            client.DefaultRequestHeaders.TryAddWithoutValidation(header, value);
        }

        return client;
    }

    private static Uri ParseUrl(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            return uri;
        result.AddError($"--url must be an absolute http:// or https:// URL (got '{text}').");
        return null!;
    }

    private static TimeSpan ParseDuration(ArgumentResult result, string name, bool allowZero)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (DurationParser.TryParse(text, out var value) && (allowZero ? value >= TimeSpan.Zero : value > TimeSpan.Zero))
            return value;
        result.AddError(string.Create(CultureInfo.InvariantCulture,
            $"{name} must be a duration like 500ms, 20s or 2m{(allowZero ? "" : " above zero")} (got '{text}')."));
        return default;
    }
}
