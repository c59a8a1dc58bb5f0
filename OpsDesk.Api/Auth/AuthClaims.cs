namespace OpsDesk.Api.Auth;

/// <summary>Claim types on every OpsDesk principal, whichever scheme made it.</summary>
public static class AuthClaims
{
    public const string Role = "role";
    public const string KeyId = "opsdesk:key_id";

    /// <summary>For JWT callers: issuer and subject, which together identify the owner of the tickets they create.</summary>
    public const string Owner = "opsdesk:owner";
    public const string Name = "name";
}
