namespace OpsDesk.Api.Security;

/// <summary>
/// Response headers that keep browsers from sniffing, framing or leaking referrers. HTML pages
/// (the Scalar docs) get a Content-Security-Policy that lets its own script and styles run and
/// nothing load from elsewhere; JSON answers get one that allows nothing.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>The docs page: Scalar's bundled script and its inline bootstrap, inline styles, data: images and fonts.</summary>
    public const string HtmlPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";

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
            headers.ContentSecurityPolicy = html ? HtmlPolicy : ApiPolicy;
            return Task.CompletedTask;
        }, context);
        await next(context);
    });
}
