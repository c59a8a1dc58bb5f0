namespace OpsDesk.Api.Auth;

/// <summary>The <c>Auth:Jwt</c> section: tokens from an OpenID Connect authority, the enterprise path.</summary>
public sealed class JwtAuthOptions
{
    /// <summary>Issuer URL; its discovery document supplies the signing keys. JWT is off while this is empty.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience tokens must be issued for.</summary>
    public string? Audience { get; set; }

    /// <summary>The claim that carries the caller's role.</summary>
    public string RoleClaim { get; set; } = "role";

    /// <summary>Maps role-claim values of the identity provider to OpsDesk roles, e.g. <c>Auth:Jwt:RoleMap:support-team = agent</c>. Values that already are OpsDesk roles need no entry.</summary>
    public Dictionary<string, string> RoleMap { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Fetch the authority's metadata over HTTPS only.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);
}
