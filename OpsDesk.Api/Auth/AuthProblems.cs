namespace OpsDesk.Api.Auth;

/// <summary>401 and 403 answers as problem details, with the <c>WWW-Authenticate</c> challenge RFC 6750 asks for.</summary>
public static class AuthProblems
{
    public const string Realm = "OpsDesk";

    /// <param name="failure">Why the presented credentials were refused; null when none were sent.</param>
    public static async Task WriteUnauthorizedAsync(HttpContext context, string? failure)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status401Unauthorized;
        response.Headers.WWWAuthenticate = failure is null
            ? $"Bearer realm=\"{Realm}\""
            : $"Bearer realm=\"{Realm}\", error=\"invalid_token\", error_description=\"{failure}\"";
        await WriteAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized",
            failure ?? "This endpoint needs credentials: send an API key as 'Authorization: Bearer <key>'" +
            (context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>()?.Policy == AuthPolicies.TicketReader
                ? $", or the ticket's access token in the {TicketTokens.Header} header."
                : "."));
    }

    public static Task WriteForbiddenAsync(HttpContext context) =>
        WriteAsync(context, StatusCodes.Status403Forbidden, "Forbidden", "Your role does not allow this operation.");

    private static async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
