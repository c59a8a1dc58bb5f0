using System.ComponentModel.DataAnnotations;

namespace OpsDesk.Api.Security;

/// <summary>The <c>RateLimits</c> section. Windows are fixed windows; a rejected call gets 429 with Retry-After.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Turn every limit off (not allowed in Production while anonymous create is on).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Requests per window for one caller: an API key, a JWT subject, or a client IP when anonymous.</summary>
    [Range(1, 10_000_000, ErrorMessage = "RateLimits:PerClientPermitLimit must be from 1 to 10000000.")]
    public int PerClientPermitLimit { get; set; } = 600;

    [Range(1, 86_400, ErrorMessage = "RateLimits:PerClientWindowSeconds must be from 1 to 86400.")]
    public int PerClientWindowSeconds { get; set; } = 60;

    /// <summary>Anonymous ticket creations per window and client IP (the public portal's abuse guard).</summary>
    [Range(1, 1_000_000, ErrorMessage = "RateLimits:AnonymousCreatePermitLimit must be from 1 to 1000000.")]
    public int AnonymousCreatePermitLimit { get; set; } = 10;

    [Range(1, 86_400, ErrorMessage = "RateLimits:AnonymousCreateWindowSeconds must be from 1 to 86400.")]
    public int AnonymousCreateWindowSeconds { get; set; } = 60;

    /// <summary>Anonymous knowledge-base suggestions and deflection records (the portal's create form) per window and client IP.</summary>
    [Range(1, 1_000_000, ErrorMessage = "RateLimits:AnonymousKbPermitLimit must be from 1 to 1000000.")]
    public int AnonymousKbPermitLimit { get; set; } = 60;

    [Range(1, 86_400, ErrorMessage = "RateLimits:AnonymousKbWindowSeconds must be from 1 to 86400.")]
    public int AnonymousKbWindowSeconds { get; set; } = 60;

    /// <summary>Requests in flight across all callers.</summary>
    [Range(1, 1_000_000, ErrorMessage = "RateLimits:ConcurrencyLimit must be from 1 to 1000000.")]
    public int ConcurrencyLimit { get; set; } = 256;

    /// <summary>Requests that may wait for a slot once <see cref="ConcurrencyLimit"/> is reached; more are refused.</summary>
    [Range(0, 1_000_000, ErrorMessage = "RateLimits:ConcurrencyQueueLimit must be from 0 to 1000000.")]
    public int ConcurrencyQueueLimit { get; set; } = 512;
}
