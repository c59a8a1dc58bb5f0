using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace OpsDesk.Api.Web;

/// <summary>
/// The console's and portal's one stylesheet and one script, embedded in the assembly (so the API
/// serves them in every host: its own, the worker's dev mode, tests) under a content-hashed URL
/// that browsers may cache for good.
/// </summary>
public static class WebAssets
{
    private static readonly Asset CssAsset = Load("opsdesk.css", "text/css; charset=utf-8");
    private static readonly Asset JsAsset = Load("opsdesk.js", "text/javascript; charset=utf-8");

    public static string Css => CssAsset.Url;

    public static string Js => JsAsset.Url;

    public static IEndpointRouteBuilder MapWebAssets(this IEndpointRouteBuilder app)
    {
        foreach (var asset in new[] { CssAsset, JsAsset })
        {
            app.MapGet("/assets/" + asset.Name, (HttpContext http) =>
            {
                http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
                http.Response.Headers.ETag = asset.ETag;
                return Results.Bytes(asset.Content, asset.ContentType);
            }).AllowAnonymous().ExcludeFromDescription();
        }

        return app;
    }

    private static Asset Load(string name, string contentType)
    {
        using var stream = typeof(WebAssets).Assembly.GetManifestResourceStream("OpsDesk.Api.Web.Assets." + name)
            ?? throw new InvalidOperationException($"embedded asset {name} is missing");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var content = copy.ToArray();
        var hash = Convert.ToHexStringLower(SHA256.HashData(content), 0, 8);
        return new Asset(name, contentType, content, $"/assets/{name}?v={hash}", new EntityTagHeaderValue($"\"{hash}\"").ToString());
    }

    private sealed record Asset(string Name, string ContentType, byte[] Content, string Url, string ETag);
}
