using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;

namespace OpsDesk.Api.Auth;

/// <summary>
/// A JWT presented in a form (the console's sign-in) rather than in an <c>Authorization</c> header,
/// validated by the API's own JwtBearer scheme: the same issuer, audience and signature checks, role
/// mapping and agent lookup as every API call that carries one.
/// </summary>
public static class JwtSignIn
{
    /// <summary>Why the JwtBearer scheme refuses a token whose subject is a deactivated agent's.</summary>
    public const string DeactivatedAgent = "The agent this token signs in as is deactivated.";

    /// <summary>Longest token accepted from a form.</summary>
    public const int MaxTokenLength = 16 * 1024;

    /// <summary>Claim of a cookie made from a JWT: when the token expired (Unix seconds); the session ends with it.</summary>
    public const string ExpiresClaim = "opsdesk:jwt_expires";

    /// <summary>The <see cref="HttpContext.Items"/> entry the JwtBearer scheme takes its token from (see SecurityComposition).</summary>
    internal const string PresentedToken = "opsdesk:presented_jwt";

    /// <summary>Runs the JwtBearer scheme on <paramref name="token"/>: the mapped principal, or a failure.</summary>
    public static async Task<AuthenticateResult> AuthenticateAsync(HttpContext http, string token)
    {
        http.Items[PresentedToken] = token;
        try
        {
            return await http.AuthenticateAsync(AuthSchemes.Jwt);
        }
        finally
        {
            http.Items.Remove(PresentedToken);
        }
    }

    /// <summary>
    /// The principal a cookie keeps for a validated token: its name, strongest role, agent and owner
    /// (what <see cref="Caller.From"/> reads), and when the token expires.
    /// </summary>
    public static ClaimsPrincipal Principal(ClaimsPrincipal validated, DateTimeOffset expires, string scheme)
    {
        var caller = Caller.From(validated);
        var identity = new ClaimsIdentity(scheme, AuthClaims.Name, AuthClaims.Role);
        identity.AddClaim(new Claim(AuthClaims.Name, validated.FindFirstValue(AuthClaims.Name) ?? "jwt"));
        if (caller.Role is { } role)
            identity.AddClaim(new Claim(AuthClaims.Role, role));
        if (caller.AgentId is { } agentId)
            identity.AddClaim(new Claim(AuthClaims.AgentId, agentId.ToString(CultureInfo.InvariantCulture)));
        if (caller.Owner is { } owner)
            identity.AddClaim(new Claim(AuthClaims.Owner, owner));
        identity.AddClaim(new Claim(ExpiresClaim, expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        return new ClaimsPrincipal(identity);
    }

    /// <summary>The expiry a cookie made by <see cref="Principal"/> carries; null for any other principal.</summary>
    public static DateTimeOffset? Expires(ClaimsPrincipal principal) =>
        long.TryParse(principal.FindFirstValue(ExpiresClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
}
