using OpsDesk.Db.Auth;

namespace OpsDesk.Api.Auth;

/// <summary>
/// Checks a presented API key: looked up by its non-secret prefix, hash compared in constant time
/// (also when no row matched, so an unknown prefix takes as long as a wrong secret), revoked keys
/// refused. Null when the key is not good.
/// </summary>
public sealed class ApiKeyVerifier(ApiKeyRepository keys)
{
    public async Task<ApiKeyRow?> VerifyAsync(string key, CancellationToken ct)
    {
        var row = await keys.FindByPrefixAsync(Secrets.LookupPrefix(key), ct);
        var matches = Secrets.Matches(key, row?.KeyHash ?? new byte[32]);
        return row is not null && matches && row.RevokedAt is null ? row : null;
    }
}
