using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using OpsDesk.Api.Auth;

namespace OpsDesk.Api.Security;

/// <summary>ASP.NET's rate limiter set up from <see cref="RateLimitOptions"/>: a global concurrency cap, a per-client window, and a stricter window for anonymous create.</summary>
public static partial class RateLimiting
{
    public static IServiceCollection AddOpsDeskRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((o, limits) => Configure(o, limits.Value));
        return services;
    }

    /// <summary>Who a request counts against: its API key, its JWT owner, or its client IP.</summary>
    public static string PartitionKey(HttpContext http)
    {
        var caller = Caller.From(http.User);
        if (caller.KeyId is { } key)
            return "key:" + key.ToString(CultureInfo.InvariantCulture);
        if (caller.Owner is { } owner)
            return "sub:" + owner;
        return "ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
    }

    /// <summary>A fixed window per client IP for anonymous callers; callers with credentials are not counted.</summary>
    private static RateLimitPartition<string> AnonymousWindow(HttpContext http, int permits, int windowSeconds) =>
        http.User.Identity?.IsAuthenticated == true
            ? RateLimitPartition.GetNoLimiter("authenticated")
            : RateLimitPartition.GetFixedWindowLimiter(PartitionKey(http), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = permits,
                Window = TimeSpan.FromSeconds(windowSeconds),
                QueueLimit = 0,
            });

    private static void Configure(RateLimiterOptions o, RateLimitOptions limits)
    {
        o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        var concurrency = PartitionedRateLimiter.Create<HttpContext, string>(_ => RateLimitPartition.GetConcurrencyLimiter("all", _ =>
            new ConcurrencyLimiterOptions
            {
                PermitLimit = limits.ConcurrencyLimit,
                QueueLimit = limits.ConcurrencyQueueLimit,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            }));
        var perClient = PartitionedRateLimiter.Create<HttpContext, string>(http => RateLimitPartition.GetFixedWindowLimiter(PartitionKey(http), _ =>
            new FixedWindowRateLimiterOptions
            {
                PermitLimit = limits.PerClientPermitLimit,
                Window = TimeSpan.FromSeconds(limits.PerClientWindowSeconds),
                QueueLimit = 0,
            }));
        o.GlobalLimiter = PartitionedRateLimiter.CreateChained(concurrency, perClient);

        o.AddPolicy(RateLimitPolicies.AnonymousCreate, http => AnonymousWindow(http, limits.AnonymousCreatePermitLimit, limits.AnonymousCreateWindowSeconds));
        o.AddPolicy(RateLimitPolicies.AnonymousKb, http => AnonymousWindow(http, limits.AnonymousKbPermitLimit, limits.AnonymousKbWindowSeconds));
        o.AddPolicy(RateLimitPolicies.PortalCreate, http => HttpMethods.IsPost(http.Request.Method)
            ? AnonymousWindow(http, limits.AnonymousCreatePermitLimit, limits.AnonymousCreateWindowSeconds)
            : RateLimitPartition.GetNoLimiter("read"));

        o.OnRejected = async (context, ct) =>
        {
            var http = context.HttpContext;
            var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                : 1;
            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            LogRejected(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimiting)), http.Request.Path, seconds);
            await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails =
                {
                    Status = StatusCodes.Status429TooManyRequests,
                    Title = "Too many requests",
                    Detail = $"Rate limit reached. Retry after {seconds} s.",
                },
            });
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rate limit reached on {Path}; retry after {Seconds} s")]
    private static partial void LogRejected(ILogger logger, PathString path, int seconds);
}
