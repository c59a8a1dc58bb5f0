using System.Security.Claims;
using OpsDesk.Db.Agents;
using OpsDesk.Db.Auth;

namespace OpsDesk.Api.Auth;

/// <summary>Turns a validated JWT principal into an OpsDesk one: roles mapped from <c>Auth:Jwt:RoleClaim</c>, and an owner id from issuer and subject.</summary>
public static class JwtRoles
{
    public const int MaxOwnerLength = 500;

    public static ClaimsPrincipal Map(ClaimsPrincipal token, JwtAuthOptions options)
    {
        var identity = new ClaimsIdentity(AuthSchemes.Jwt, AuthClaims.Name, AuthClaims.Role);
        foreach (var claim in token.FindAll(options.RoleClaim))
        {
            var role = options.RoleMap.TryGetValue(claim.Value, out var mapped) ? mapped
                : ApiKeyRoles.All.Contains(claim.Value, StringComparer.Ordinal) ? claim.Value
                : null;
            if (role is not null && !identity.HasClaim(AuthClaims.Role, role))
                identity.AddClaim(new Claim(AuthClaims.Role, role));
        }

        var subject = token.FindFirst("sub");
        if (subject is not null)
        {
            var issuer = token.FindFirstValue("iss") ?? subject.Issuer;
            var owner = $"{issuer}|{subject.Value}";
            if (owner.Length <= MaxOwnerLength)
                identity.AddClaim(new Claim(AuthClaims.Owner, owner));
            identity.AddClaim(new Claim(AuthClaims.Name, token.FindFirstValue("name") ?? subject.Value));
        }

        return new ClaimsPrincipal(identity);
    }

    /// <summary>Marks a mapped principal as <paramref name="agent"/>: its id, and its role when the token did not carry it.</summary>
    public static void AddAgent(ClaimsPrincipal principal, AgentRow agent)
    {
        var identity = (ClaimsIdentity)principal.Identity!;
        identity.AddClaim(new Claim(AuthClaims.AgentId, agent.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (!identity.HasClaim(AuthClaims.Role, agent.Role))
            identity.AddClaim(new Claim(AuthClaims.Role, agent.Role));
    }
}
