using Microsoft.AspNetCore.Authorization;
using OpsDesk.Db.Auth;

namespace OpsDesk.Api.Auth;

/// <summary>
/// Passes a caller holding any role, and an anonymous caller for whom <paramref name="anonymousAllowed"/>
/// holds, as long as it sent no Authorization header: credentials that were sent and refused are
/// never downgraded to anonymous access.
/// </summary>
public sealed class RoleOrAnonymousRequirement(Func<HttpContext, bool> anonymousAllowed)
    : AuthorizationHandler<RoleOrAnonymousRequirement>, IAuthorizationRequirement
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RoleOrAnonymousRequirement requirement)
    {
        if (ApiKeyRoles.All.Any(r => context.User.HasClaim(AuthClaims.Role, r)))
        {
            context.Succeed(requirement);
        }
        else if (context.Resource is HttpContext http
                 && context.User.Identity?.IsAuthenticated != true
                 && !http.Request.Headers.ContainsKey("Authorization")
                 && requirement.Allows(http))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }

    private bool Allows(HttpContext http) => anonymousAllowed(http);
}
