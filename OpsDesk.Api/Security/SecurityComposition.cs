using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpsDesk.Api.Agents;
using OpsDesk.Api.Auth;
using OpsDesk.Db.Agents;
using OpsDesk.Db.Auth;

namespace OpsDesk.Api.Security;

/// <summary>Authentication (API keys, optional JWT), authorization policies, rate limits, CORS and security headers.</summary>
public static class SecurityComposition
{
    public static WebApplicationBuilder AddOpsDeskSecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, AuthJsonContext.Default));

        services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.Section)
            .PostConfigure<IConfiguration>((o, config) =>
            {
                if (string.IsNullOrEmpty(o.BootstrapAdminKey))
                    o.BootstrapAdminKey = config[AuthOptions.BootstrapKeyVariable] is { Length: > 0 } key ? key : null;
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddOpsDeskRateLimiting();
        services.AddOptions<CorsSettings>()
            .BindConfiguration(CorsSettings.Section)
            .Validate(o => o.AllowedOrigins.All(CorsSettings.IsOrigin),
                "Cors:AllowedOrigins must list origins like https://portal.example.com (scheme, host, optional port; no path, no '*').")
            .ValidateOnStart();
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>().Configure<IOptions<CorsSettings>>((o, cors) =>
            o.AddDefaultPolicy(p => p
                .WithOrigins(cors.Value.AllowedOrigins)
                .WithMethods("GET", "POST", "PATCH", "DELETE")
                .WithHeaders("Authorization", "Content-Type", "Idempotency-Key", TicketTokens.Header)
                .WithExposedHeaders("Location", "Retry-After", "Idempotency-Replayed")));

        services.AddSingleton<ApiKeyVerifier>();
        services.AddAuthentication(AuthSchemes.Bearer)
            .AddPolicyScheme(AuthSchemes.Bearer, "API key or JWT", o => o.ForwardDefaultSelector = SelectScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(AuthSchemes.ApiKey, null)
            .AddJwtBearer(AuthSchemes.Jwt);
        services.AddOptions<JwtBearerOptions>(AuthSchemes.Jwt).Configure<IOptions<AuthOptions>>((o, auth) => ConfigureJwt(o, auth.Value.Jwt));

        services.AddAuthorization();
        services.AddOptions<AuthorizationOptions>().Configure<IOptions<AuthOptions>>((o, auth) =>
        {
            var reader = new AuthorizationPolicyBuilder().RequireRole(ApiKeyRoles.All).Build();
            o.AddPolicy(AuthPolicies.Reader, reader);
            o.FallbackPolicy = reader;
            o.AddPolicy(AuthPolicies.Agent, p => p.RequireRole(ApiKeyRoles.Agent, ApiKeyRoles.Admin));
            o.AddPolicy(AuthPolicies.Admin, p => p.RequireRole(ApiKeyRoles.Admin));
            var anonymousCreate = auth.Value.AllowAnonymousCreate;
            o.AddPolicy(AuthPolicies.CreateTicket, p => p.AddRequirements(new RoleOrAnonymousRequirement(_ => anonymousCreate)));
            o.AddPolicy(AuthPolicies.TicketReader, p => p.AddRequirements(new RoleOrAnonymousRequirement(http => TicketTokens.Read(http.Request) is not null)));
            o.AddPolicy(AuthPolicies.Public, p => p.AddRequirements(new RoleOrAnonymousRequirement(_ => true)));
        });

        services.AddHostedService<BootstrapAdminKeyService>();
        return builder;
    }

    /// <summary>Headers, CORS, authentication, rate limits, authorization: in that order, before the endpoints.</summary>
    public static WebApplication UseOpsDeskSecurity(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseCors();
        app.UseAuthentication();
        // After authentication so keys are partitioned by key; before authorization so floods of refused calls are limited too.
        if (app.Services.GetRequiredService<IOptions<RateLimitOptions>>().Value.Enabled)
            app.UseRateLimiter();
        app.UseAuthorization();
        app.MapAdminKeyEndpoints();
        app.MapAdminAgentEndpoints();
        return app;
    }

    /// <summary>Open to everyone, without credential checks or rate limits (health probes).</summary>
    public static TBuilder WithOpenAccess<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AllowAnonymous().DisableRateLimiting();

    /// <summary>The OpenAPI document and the docs page: open in Development or with Auth:PublicDocs=true, otherwise any role.</summary>
    public static TBuilder WithDocsAccess<TBuilder>(this TBuilder builder, WebApplication app)
        where TBuilder : IEndpointConventionBuilder
    {
        var open = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.PublicDocs ?? app.Environment.IsDevelopment();
        return open ? builder.AllowAnonymous() : builder.RequireAuthorization(AuthPolicies.Reader);
    }

    private static string SelectScheme(HttpContext http)
    {
        var jwt = http.RequestServices.GetRequiredService<IOptionsMonitor<AuthOptions>>().CurrentValue.Jwt;
        return jwt.Enabled && BearerCredential.TryParse(http.Request.Headers.Authorization, out var credential) && BearerCredential.LooksLikeJwt(credential)
            ? AuthSchemes.Jwt
            : AuthSchemes.ApiKey;
    }

    private static void ConfigureJwt(JwtBearerOptions o, JwtAuthOptions jwt)
    {
        if (!jwt.Enabled)
            return;
        o.Authority = jwt.Authority;
        o.Audience = jwt.Audience;
        o.RequireHttpsMetadata = jwt.RequireHttpsMetadata;
        o.MapInboundClaims = false;
        o.TokenValidationParameters.RoleClaimType = jwt.RoleClaim;
        o.TokenValidationParameters.NameClaimType = "sub";
        o.Events = new JwtBearerEvents
        {
            // The console's sign-in form hands its token over here (JwtSignIn); API calls use the header.
            OnMessageReceived = ctx =>
            {
                if (ctx.HttpContext.Items.TryGetValue(JwtSignIn.PresentedToken, out var presented) && presented is string token)
                    ctx.Token = token;
                return Task.CompletedTask;
            },
            OnTokenValidated = async ctx =>
            {
                var subject = ctx.Principal!.FindFirst("sub")?.Value;
                ctx.Principal = JwtRoles.Map(ctx.Principal!, jwt);
                // A subject mapped to an agent acts as that agent (and holds its role); a deactivated one is refused.
                var agents = ctx.HttpContext.RequestServices.GetRequiredService<AgentRepository>();
                if (subject is not null && await agents.FindByJwtSubjectAsync(subject, ctx.HttpContext.RequestAborted) is { } agent)
                {
                    if (agent.Active)
                        JwtRoles.AddAgent(ctx.Principal, agent);
                    else
                        ctx.Fail(JwtSignIn.DeactivatedAgent);
                }
            },
            OnChallenge = async ctx =>
            {
                ctx.HandleResponse();
                await AuthProblems.WriteUnauthorizedAsync(ctx.HttpContext, ctx.AuthenticateFailure is null ? null : "The bearer token is invalid or expired.");
            },
            OnForbidden = ctx => AuthProblems.WriteForbiddenAsync(ctx.HttpContext),
        };
    }
}
