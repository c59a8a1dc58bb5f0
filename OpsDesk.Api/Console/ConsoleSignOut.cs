using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using OpsDesk.Api.Web;

namespace OpsDesk.Api.Console;

/// <summary><c>POST /console/sign-out</c>: ends the cookie session (a form with an antiforgery token).</summary>
public static class ConsoleSignOut
{
    public const string Path = "/console/sign-out";

    internal static IEndpointRouteBuilder MapConsoleSignOut(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, async (HttpContext http) =>
        {
            var portal = http.Request.Query["to"] == "portal";
            await http.SignOutAsync(WebAuth.Scheme);
            return Results.Redirect(portal ? WebAuth.PortalSignIn : WebAuth.ConsoleSignIn);
        }).AllowAnonymous().WithMetadata(new RequireAntiforgeryTokenAttribute()).ExcludeFromDescription();
        return app;
    }
}
