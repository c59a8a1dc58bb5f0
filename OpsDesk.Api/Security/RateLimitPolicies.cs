namespace OpsDesk.Api.Security;

/// <summary>Named rate-limit policies, applied with <c>RequireRateLimiting(...)</c>. The global limiter (concurrency and per client) applies to all else.</summary>
public static class RateLimitPolicies
{
    /// <summary>Anonymous ticket creation, per client IP. Callers with credentials are not counted here.</summary>
    public const string AnonymousCreate = "anonymous-create";

    /// <summary>Anonymous knowledge-base suggestions and deflection records, per client IP (a window of its own).</summary>
    public const string AnonymousKb = "anonymous-kb";

    /// <summary>The portal's ticket form: its POSTs count as anonymous creates do (same limits, per IP); showing the form does not.</summary>
    public const string PortalCreate = "portal-create";
}
