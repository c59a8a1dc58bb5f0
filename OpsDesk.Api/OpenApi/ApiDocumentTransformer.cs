using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using OpsDesk.Api.Auth;

namespace OpsDesk.Api.OpenApi;

/// <summary>
/// The document-wide parts: title, license, tag descriptions, the server URL (the address the document
/// was fetched from, without a trailing slash) and the security schemes that <c>Auth/</c> accepts.
/// </summary>
public sealed class ApiDocumentTransformer(IOptions<AuthOptions> auth) : IOpenApiDocumentTransformer
{
    public const string Title = "OpsDesk API";

    /// <summary>Tag descriptions; every tag an endpoint uses must be listed (a test checks).</summary>
    public static readonly IReadOnlyDictionary<string, string> TagDescriptions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Tickets"] = "Open, list, read and update support tickets. A ticket's timeline and AI triage come with it.",
        ["Knowledge base"] = "Articles (Markdown, rendered safely), hybrid search for agents, suggestions and deflection records for the portal.",
        ["Admin"] = "API key administration (admin role only). A key is shown once, when it is created.",
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = Title,
            Version = "v1",
            Description = "REST API of OpsDesk, an event-driven support desk. Errors are RFC 9457 problem details " +
                          "(application/problem+json). JSON is camelCase.",
            License = new OpenApiLicense { Name = "Proprietary", Identifier = "LicenseRef-OpsDesk-Proprietary" },
        };

        foreach (var server in document.Servers ?? [])
        {
            if (server.Url is { Length: > 1 } url)
                server.Url = url.TrimEnd('/');
        }

        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
        {
            if (tag.Name is { } name && TagDescriptions.TryGetValue(name, out var description))
                tag.Description = description;
        }

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        var schemes = document.Components.SecuritySchemes;
        schemes[SecuritySchemeNames.ApiKey] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "odk_…",
            Description = "An OpsDesk API key (requester, agent or admin), sent as 'Authorization: Bearer odk_…'. Admins create keys under /api/admin/keys.",
        };
        if (auth.Value.Jwt.Enabled)
        {
            schemes[SecuritySchemeNames.Jwt] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = $"A JWT issued by {auth.Value.Jwt.Authority} for audience {auth.Value.Jwt.Audience}, sent as 'Authorization: Bearer'. " +
                              $"The role comes from the '{auth.Value.Jwt.RoleClaim}' claim.",
            };
        }

        schemes[SecuritySchemeNames.TicketToken] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = TicketTokens.Header,
            Description = "The access token a create returned (accessToken). It reads that one ticket.",
        };
        schemes[SecuritySchemeNames.TicketTokenQuery] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Query,
            Name = TicketTokens.Query,
            Description = $"The ticket access token as a query parameter, for links; prefer the {TicketTokens.Header} header.",
        };
        return Task.CompletedTask;
    }
}
