using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using OpsDesk.Api.Auth;
using OpsDesk.Api.Console;
using OpsDesk.Db.Agents;
using OpsDesk.Db.Auth;
using OpsDesk.Db.DataProtection;

namespace OpsDesk.Api.Web;

/// <summary>
/// The agent console and the requester portal: Razor components rendered on the server (no
/// interactive circuits), a cookie signed in with an API key, the data-protection key ring in
/// PostgreSQL (shared by every API instance), the app's own CSS and JS, and the live event stream.
/// </summary>
public static class WebComposition
{
    public static WebApplicationBuilder AddOpsDeskWeb(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var development = builder.Environment.IsDevelopment();
        services.AddRazorComponents();

        // One key ring for all instances: a cookie or form token made by one is read by the others.
        services.AddDataProtection().SetApplicationName("OpsDesk");
        services.AddOptions<KeyManagementOptions>()
            .Configure<PostgresXmlRepository>((o, repository) => o.XmlRepository = repository);

        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "opsdesk_antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        });
        services.AddAuthentication().AddCookie(WebAuth.Scheme, o =>
        {
            o.Cookie.Name = WebAuth.CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.LoginPath = WebAuth.ConsoleSignIn;
            o.AccessDeniedPath = WebAuth.ConsoleSignIn;
            o.ReturnUrlParameter = "returnUrl";
            o.Events.OnValidatePrincipal = RejectRevokedKeyAsync;
            o.Events.OnRedirectToLogin = ctx => RedirectToSignIn(ctx);
            o.Events.OnRedirectToAccessDenied = ctx => RedirectToSignIn(ctx);
        });
        services.AddOptions<Microsoft.AspNetCore.Authorization.AuthorizationOptions>().Configure(o =>
        {
            o.AddPolicy(WebAuth.Console, p => p.AddAuthenticationSchemes(WebAuth.Scheme).RequireRole(ApiKeyRoles.Agent, ApiKeyRoles.Admin));
            o.AddPolicy(WebAuth.ConsoleAdmin, p => p.AddAuthenticationSchemes(WebAuth.Scheme).RequireRole(ApiKeyRoles.Admin));
            o.AddPolicy(WebAuth.Portal, p => p.AddAuthenticationSchemes(WebAuth.Scheme).RequireRole(ApiKeyRoles.All));
        });
        services.AddSingleton<TicketEventStream>();
        return builder;
    }

    /// <summary>After authentication and authorization: antiforgery, then the pages and their assets.</summary>
    public static WebApplication UseOpsDeskWeb(this WebApplication app)
    {
        app.UseAntiforgery();
        app.MapWebAssets();
        app.MapTicketEventStream();
        app.MapConsoleSignOut();
        app.MapRazorComponents<App>();
        return app;
    }

    /// <summary>Signs the holder of <paramref name="key"/> in with the cookie: the same claims an API key request carries.</summary>
    public static Task SignInAsync(HttpContext http, ApiKeyRow key) =>
        http.SignInAsync(WebAuth.Scheme, ApiKeyVerifier.Principal(key, WebAuth.Scheme));

    /// <summary>
    /// Signs the holder of a validated JWT in with the cookie, until the token expires (no sliding past
    /// it): the claims <see cref="Caller"/> reads, as for a key.
    /// </summary>
    public static Task SignInAsync(HttpContext http, ClaimsPrincipal validated, DateTimeOffset tokenExpires)
    {
        var expires = tokenExpires < DateTimeOffset.UtcNow.AddHours(8) ? tokenExpires : DateTimeOffset.UtcNow.AddHours(8);
        return http.SignInAsync(WebAuth.Scheme, JwtSignIn.Principal(validated, tokenExpires, WebAuth.Scheme),
            new AuthenticationProperties { ExpiresUtc = expires, AllowRefresh = false });
    }

    /// <summary>
    /// A revoked key's cookie stops working on the next request, as the key itself does; a JWT's cookie
    /// when its agent is deactivated or the token expires.
    /// </summary>
    private static async Task RejectRevokedKeyAsync(CookieValidatePrincipalContext ctx)
    {
        var caller = Caller.From(ctx.Principal!);
        if (!await StillValidAsync(ctx.HttpContext, ctx.Principal!, caller))
        {
            ctx.RejectPrincipal();
            await ctx.HttpContext.SignOutAsync(WebAuth.Scheme);
        }
    }

    private static async Task<bool> StillValidAsync(HttpContext http, ClaimsPrincipal principal, Caller caller)
    {
        if (caller.KeyId is { } id)
        {
            var keys = http.RequestServices.GetRequiredService<ApiKeyRepository>();
            return await keys.GetAsync(id, http.RequestAborted) is { } row && ApiKeyVerifier.IsUsable(row) && row.Role == caller.Role;
        }

        // A JWT session: the console accepts only tokens mapped to an agent.
        var agents = http.RequestServices.GetRequiredService<AgentRepository>();
        return JwtSignIn.Expires(principal) is { } expires && expires > DateTimeOffset.UtcNow
            && caller.AgentId is { } agentId && await agents.GetAsync(agentId, http.RequestAborted) is { Active: true };
    }

    /// <summary>Portal pages send people to the portal's sign-in, console pages to the console's.</summary>
    private static Task RedirectToSignIn(RedirectContext<CookieAuthenticationOptions> ctx)
    {
        var portal = ctx.Request.Path.StartsWithSegments("/portal");
        var returnUrl = ctx.Request.PathBase + ctx.Request.Path + ctx.Request.QueryString;
        var target = (portal ? WebAuth.PortalSignIn : WebAuth.ConsoleSignIn) + "?returnUrl=" + Uri.EscapeDataString(returnUrl);
        // An event stream cannot follow a redirect to a page: it gets the status alone.
        if (ctx.Request.Path.StartsWithSegments(TicketEventStream.Path))
            ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
        else
            ctx.Response.Redirect(target);
        return Task.CompletedTask;
    }
}
