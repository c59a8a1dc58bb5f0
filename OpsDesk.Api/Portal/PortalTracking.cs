using System.Globalization;
using OpsDesk.Db.Auth;

namespace OpsDesk.Api.Portal;

/// <summary>
/// The private tracking link, <c>/portal/track#{id}:{token}</c>. The token sits in the URL fragment,
/// which browsers never send: it reaches no request line, so no server, proxy or access log records
/// it, and no Referer carries it. The page's script posts it (a form with an antiforgery token) and
/// removes it from the address bar; without script the requester pastes the code into that form.
/// The server then keeps it in an HttpOnly cookie scoped to the tracking page.
/// </summary>
public static class PortalTracking
{
    public const string PagePath = "/portal/track";
    public const string CookieName = "opsdesk_track";

    public static string Code(long ticketId, string token) => $"{ticketId.ToString(CultureInfo.InvariantCulture)}:{token}";

    public static string Link(long ticketId, string token) => $"{PagePath}#{Code(ticketId, token)}";

    /// <summary>A tracking code ("id:token") as its parts; null when it is not one.</summary>
    public static (long Id, string Token)? Parse(string? code)
    {
        code = code?.Trim();
        if (string.IsNullOrEmpty(code) || code.Length > Secrets.MaxPresentedLength)
            return null;
        var colon = code.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && colon < code.Length - 1 && long.TryParse(code.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? (id, code[(colon + 1)..])
            : null;
    }

    /// <summary>The ticket id and token the tracking cookie holds, if any.</summary>
    public static (long Id, string Token)? Read(HttpRequest request) => Parse(request.Cookies[CookieName]);

    public static void Remember(HttpContext http, long ticketId, string token) =>
        http.Response.Cookies.Append(CookieName, Code(ticketId, token), new CookieOptions
        {
            HttpOnly = true,
            Secure = http.Request.IsHttps || !http.RequestServices.GetRequiredService<IHostEnvironment>().IsDevelopment(),
            SameSite = SameSiteMode.Strict,
            Path = PagePath,
            MaxAge = TimeSpan.FromDays(30),
            IsEssential = true,
        });
}
