using Microsoft.Extensions.Primitives;
using OpsDesk.Db.Auth;

namespace OpsDesk.Api.Auth;

/// <summary>Parses <c>Authorization: Bearer &lt;credential&gt;</c> strictly: one header, the scheme, one space, a token68-like value.</summary>
public static class BearerCredential
{
    public const string MalformedMessage = "The Authorization header must be 'Bearer <key>'.";
    public const string RejectedMessage = "The API key is unknown or revoked.";

    public static bool TryParse(StringValues header, out string credential)
    {
        credential = "";
        if (header.Count != 1 || header[0] is not { } value)
            return false;
        const string scheme = "Bearer ";
        if (value.Length <= scheme.Length || !value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            return false;
        var token = value[scheme.Length..];
        if (token.Length > Secrets.MaxPresentedLength || token.Any(c => c < 0x21 || c > 0x7e))
            return false;
        credential = token;
        return true;
    }

    /// <summary>A compact JWS (three base64url parts) rather than an API key.</summary>
    public static bool LooksLikeJwt(string credential) =>
        credential.StartsWith("eyJ", StringComparison.Ordinal) && credential.Count(c => c == '.') == 2;
}
