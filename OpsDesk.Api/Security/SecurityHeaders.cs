namespace OpsDesk.Api.Security;

/// <summary>
/// Response headers that keep browsers from sniffing, framing or leaking referrers. The Scalar docs
/// get a Content-Security-Policy that lets its own script and styles run and nothing load from
/// elsewhere; the console and portal pages one that allows the app's own files only (no inline
/// script or style at all); JSON answers one that allows nothing.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>The docs page: Scalar's bundled script and its inline bootstrap, inline styles, data: images and fonts.</summary>
    public const string HtmlPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    /// <summary>Console and portal pages: the app's own stylesheet, script and event stream; no inline script or style.</summary>
    public const string PagePolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";

    public const string DocsPath = "/docs";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(static state =>
        {
            var response = ((HttpContext)state).Response;
            var headers = response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            var html = response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true;
            headers.ContentSecurityPolicy = !html ? ApiPolicy
                : ((HttpContext)state).Request.Path.StartsWithSegments(DocsPath) ? HtmlPolicy : PagePolicy;
            return Task.CompletedTask;
        }, context);
        await next(context);
    });
}
