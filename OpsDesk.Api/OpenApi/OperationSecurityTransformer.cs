using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using OpsDesk.Api.Auth;

namespace OpsDesk.Api.OpenApi;

/// <summary>
/// Declares, per operation, the credentials its authorization policy accepts (read from the endpoint's
/// metadata, so a policy change shows here) and the 401 and 403 problems that policy can answer.
/// </summary>
public sealed class OperationSecurityTransformer(IOptions<AuthOptions> auth) : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security = [];
            return Task.CompletedTask;
        }

        // No named policy means the fallback policy: any role, like AuthPolicies.Reader.
        var policies = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var document = context.Document;
        var options = auth.Value;
        var alternatives = new List<OpenApiSecurityRequirement> { Requirement(SecuritySchemeNames.ApiKey, document) };
        if (options.Jwt.Enabled)
            alternatives.Add(Requirement(SecuritySchemeNames.Jwt, document));
        if (policies.Contains(AuthPolicies.TicketReader))
        {
            alternatives.Add(Requirement(SecuritySchemeNames.TicketToken, document));
            alternatives.Add(Requirement(SecuritySchemeNames.TicketTokenQuery, document));
        }

        // An empty requirement is OpenAPI's "no credentials needed".
        if ((policies.Contains(AuthPolicies.CreateTicket) && options.AllowAnonymousCreate) || policies.Contains(AuthPolicies.Public))
            alternatives.Add(new OpenApiSecurityRequirement());
        operation.Security = alternatives;

        ProblemResponses.Add(operation, document, StatusCodes.Status401Unauthorized,
            "Credentials are missing, malformed, unknown or revoked (WWW-Authenticate tells which). Credentials that were sent and refused are never treated as anonymous.",
            ProblemResponses.WwwAuthenticate);
        // API keys always hold a role (the database checks it), so a policy open to every role refuses
        // no key; a JWT may map to no OpsDesk role and is refused with 403.
        var rolesLimited = policies.Contains(AuthPolicies.Agent) || policies.Contains(AuthPolicies.Admin);
        if (rolesLimited || options.Jwt.Enabled)
            ProblemResponses.Add(operation, document, StatusCodes.Status403Forbidden, $"The caller's role does not allow this operation ({RolesFor(policies)}).");
        return Task.CompletedTask;
    }

    private static OpenApiSecurityRequirement Requirement(string scheme, OpenApiDocument? document) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };

    private static string RolesFor(HashSet<string> policies) =>
        policies.Contains(AuthPolicies.Admin) ? "admin only"
        : policies.Contains(AuthPolicies.Agent) ? "agent or admin"
        : "any role: requester, agent or admin";
}
