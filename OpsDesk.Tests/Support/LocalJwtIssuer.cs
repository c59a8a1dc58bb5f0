using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using OpsDesk.Api.Auth;

namespace OpsDesk.Tests.Support;

/// <summary>
/// A local signing key standing in for the identity provider's discovery document (no network here):
/// an API configured for JWT with it, and tokens it signs. Validation and role mapping run for real.
/// Groups <c>support-team</c> map to agent, <c>customers</c> to requester.
/// </summary>
public static class LocalJwtIssuer
{
    public const string Issuer = "https://login.example.test/";
    public const string Audience = "opsdesk";
    private static readonly SymmetricSecurityKey SigningKey = new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>The API with <c>Auth:Jwt</c> pointing at this issuer.</summary>
    public static ApiFactory Api() => new(
        new()
        {
            ["Auth:Jwt:Authority"] = Issuer,
            ["Auth:Jwt:Audience"] = Audience,
            ["Auth:Jwt:RoleClaim"] = "groups",
            ["Auth:Jwt:RoleMap:support-team"] = "agent",
            ["Auth:Jwt:RoleMap:customers"] = "requester",
        },
        services: s => s.PostConfigure<JwtBearerOptions>(AuthSchemes.Jwt, o =>
        {
            var configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
            configuration.SigningKeys.Add(SigningKey);
            o.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);
        }));

    /// <summary>
    /// A token for <paramref name="subject"/> in <paramref name="group"/>, valid for 5 minutes (signed by
    /// <paramref name="key"/> when given; expiring at <paramref name="expires"/> when given, issued a minute before).
    /// </summary>
    public static string Token(string subject, string group, SecurityKey? key = null, string audience = Audience, DateTime? expires = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("groups", group)]),
            NotBefore = (expires ?? DateTime.UtcNow).AddMinutes(-1),
            IssuedAt = (expires ?? DateTime.UtcNow).AddMinutes(-1),
            Expires = expires ?? DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(key ?? SigningKey, SecurityAlgorithms.HmacSha256),
        });
}
