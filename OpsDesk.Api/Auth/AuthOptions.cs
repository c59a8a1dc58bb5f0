namespace OpsDesk.Api.Auth;

/// <summary>The <c>Auth</c> configuration section.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>Environment variable that also sets <see cref="BootstrapAdminKey"/>.</summary>
    public const string BootstrapKeyVariable = "OPSDESK_BOOTSTRAP_ADMIN_KEY";

    /// <summary>Let callers without credentials open tickets (a public portal). They get a per-ticket access token.</summary>
    public bool AllowAnonymousCreate { get; set; } = true;

    /// <summary>Serve /openapi/v1.json and /docs without a key. Null means: only in Development.</summary>
    public bool? PublicDocs { get; set; }

    /// <summary>An admin key seeded at start (idempotent). For dev mode and compose only.</summary>
    public string? BootstrapAdminKey { get; set; }

    /// <summary>Optional JWT bearer authentication (enabled when <see cref="JwtAuthOptions.Authority"/> is set).</summary>
    public JwtAuthOptions Jwt { get; set; } = new();
}
