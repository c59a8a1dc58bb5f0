namespace OpsDesk.Api.Security;

/// <summary>The <c>Cors</c> section. No origin is allowed unless listed; "*" is refused.</summary>
public sealed class CorsSettings
{
    public const string Section = "Cors";

    /// <summary>Origins (scheme://host[:port]) whose browser pages may call the API, e.g. a support portal.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    internal static bool IsOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https"
        && uri.AbsolutePath == "/" && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment)
        && !value.TrimEnd('/').EndsWith('/')
        && string.IsNullOrEmpty(uri.UserInfo);
}
