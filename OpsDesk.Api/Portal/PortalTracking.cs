using System.Globalization;
using OpsDesk.Api.Auth;
using OpsDesk.Db.Auth;

namespace OpsDesk.Api.Portal;

/// <summary>
/// The private tracking link, <c>/portal/t/{id}/{token}</c>: checked with the same rule as the REST
/// API's ticket token, kept in an HttpOnly cookie scoped to the tracking page, and answered with a
/// redirect to <c>/portal/track</c>, so the token is in one request line only — never in the page's
/// address, history, Referer (also sent no-referrer) or the page's own requests.
/// </summary>
public static class PortalTracking
{
    public const string LinkPrefix = "/portal/t";
    public const string PagePath = "/portal/track";
    public const string CookieName = "opsdesk_track";

    public static string Link(long ticketId, string token) => $"{LinkPrefix}/{ticketId.ToString(CultureInfo.InvariantCulture)}/{token}";

    internal static IEndpointRouteBuilder MapPortalTracking(this IEndpointRouteBuilder app)
    {
        app.MapGet(LinkPrefix + "/{id:long}/{token}", async (long id, string token, HttpContext http, TicketAccessRepository access) =>
        {
            http.Response.Headers.CacheControl = "no-store";
            if (token.Length > Secrets.MaxPresentedLength || await access.GetAsync(id, http.RequestAborted) is not { } owner
                || !Caller.Anonymous.CanRead(owner, token))
            {
                return Results.Redirect(PagePath + "?unknown=1");
            }

            http.Response.Cookies.Append(CookieName, $"{id.ToString(CultureInfo.InvariantCulture)}:{token}", new CookieOptions
            {
                HttpOnly = true,
                Secure = http.Request.IsHttps || !http.RequestServices.GetRequiredService<IHostEnvironment>().IsDevelopment(),
                SameSite = SameSiteMode.Lax,
                Path = PagePath,
                MaxAge = TimeSpan.FromDays(30),
                IsEssential = true,
            });
            return Results.Redirect(PagePath);
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>The ticket id and token the tracking cookie holds, if any.</summary>
    public static (long Id, string Token)? Read(HttpRequest request)
    {
        if (request.Cookies[CookieName] is not { } value)
            return null;
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && long.TryParse(value.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? (id, value[(colon + 1)..])
            : null;
    }
}
