using System.Globalization;
using System.Security.Claims;
using OpsDesk.Db.Auth;

namespace OpsDesk.Api.Auth;

/// <summary>
/// The one check of a presented API key, for the bearer handler and the console's sign-in: looked up
/// by its non-secret prefix, hash compared in constant time (also when no row matched, so an unknown
/// prefix takes as long as a wrong secret), revoked keys and deactivated agents' keys refused.
/// </summary>
public sealed class ApiKeyVerifier(ApiKeyRepository keys)
{
    /// <summary><see cref="KeyCheck.Row"/> is the row the prefix found (null if none); <see cref="KeyCheck.Good"/> whether the key may be used.</summary>
    public async Task<KeyCheck> VerifyAsync(string key, CancellationToken ct)
    {
        var row = await keys.FindByPrefixAsync(Secrets.LookupPrefix(key), ct);
        var matches = Secrets.Matches(key, row?.KeyHash ?? new byte[32]);
        return new KeyCheck(row, row is not null && matches && IsUsable(row));
    }

    /// <summary>Not revoked, and its agent (if any) still active.</summary>
    public static bool IsUsable(ApiKeyRow row) => row.RevokedAt is null && row.AgentActive != false;

    /// <summary>The principal of a key's holder: the claims every OpsDesk scheme issues for it.</summary>
    public static ClaimsPrincipal Principal(ApiKeyRow row, string scheme)
    {
        var identity = new ClaimsIdentity(scheme, AuthClaims.Name, AuthClaims.Role);
        identity.AddClaim(new Claim(AuthClaims.KeyId, row.Id.ToString(CultureInfo.InvariantCulture)));
        identity.AddClaim(new Claim(AuthClaims.Name, row.Name));
        identity.AddClaim(new Claim(AuthClaims.Role, row.Role));
        if (row.AgentId is { } agentId)
            identity.AddClaim(new Claim(AuthClaims.AgentId, agentId.ToString(CultureInfo.InvariantCulture)));
        return new ClaimsPrincipal(identity);
    }
}

/// <summary>What <see cref="ApiKeyVerifier.VerifyAsync"/> found.</summary>
public readonly record struct KeyCheck(ApiKeyRow? Row, bool Good);
