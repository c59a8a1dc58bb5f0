using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;

namespace OpsDesk.Api.Web;

/// <summary>
/// The pages run the REST API's own handlers (validation, access rules, idempotency, the same
/// repositories) on a request built from the submitted form, so a browser and a REST client can
/// never be treated differently. The request lives in memory; nothing goes over the network.
/// </summary>
public static class RestCall
{
    public static HttpRequest Request(HttpContext page, ClaimsPrincipal user, params (string Name, string? Value)[] headers)
    {
        var http = new DefaultHttpContext { RequestServices = page.RequestServices, User = user };
        foreach (var (name, value) in headers)
        {
            if (value is not null)
                http.Request.Headers[name] = value;
        }

        return http.Request;
    }

    public static HttpRequest Json<T>(HttpContext page, ClaimsPrincipal user, T body, JsonTypeInfo<T> type, params (string Name, string? Value)[] headers) =>
        Json(page, user, JsonSerializer.SerializeToUtf8Bytes(body, type), headers);

    /// <summary>A JSON body given as bytes (when a member's absence means something, as PATCH's assigneeId does).</summary>
    public static HttpRequest Json(HttpContext page, ClaimsPrincipal user, byte[] bytes, params (string Name, string? Value)[] headers)
    {
        var request = Request(page, user, headers);
        request.ContentType = "application/json";
        request.ContentLength = bytes.Length;
        request.Body = new MemoryStream(bytes);
        return request;
    }

    /// <summary>A handler's error as one line a page can show: validation messages, or the problem's detail.</summary>
    public static string? Error(IResult result) => result switch
    {
        ValidationProblem v => string.Join(" ", v.ProblemDetails.Errors.SelectMany(e => e.Value)),
        ProblemHttpResult p => p.ProblemDetails.Detail ?? p.ProblemDetails.Title,
        _ => null,
    };
}
