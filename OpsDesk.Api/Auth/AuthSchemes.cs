namespace OpsDesk.Api.Auth;

/// <summary>Authentication scheme names. <see cref="Bearer"/> is the default and picks one of the others per request.</summary>
public static class AuthSchemes
{
    public const string Bearer = "Bearer";
    public const string ApiKey = "ApiKey";
    public const string Jwt = "Jwt";
}
