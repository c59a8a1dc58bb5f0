using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using OpsDesk.Tests.Deploy;

namespace OpsDesk.Tests.Support;

/// <summary>
/// The served OpenAPI document and the files made from it: the committed copy (deploy/openapi) and the
/// generated client (Api/OpenApi/Generated). Run the OpenApi tests with OPSDESK_UPDATE_OPENAPI=1 to rewrite
/// both from the served document after an endpoint changed.
/// </summary>
public static class OpenApiDocuments
{
    public const string ServedPath = "/openapi/v1.json";
    public const string CommittedPath = "deploy/openapi/opsdesk-v1.json";
    public const string ClientPath = "OpsDesk.Tests/Api/OpenApi/Generated/OpsDeskClient.g.cs";
    public const string UpdateVariable = "OPSDESK_UPDATE_OPENAPI";

    /// <summary>Dev mode's address (README). The server URL in the document is the address it was fetched from.</summary>
    public static readonly Uri ServedFrom = new("http://127.0.0.1:5080");

    public static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    public static string RegenerateHint =>
        $"If the change is intended, rerun the OpenApi tests with {UpdateVariable}=1 " +
        "(dotnet test --filter FullyQualifiedName~OpsDesk.Tests.Api.OpenApi) and commit the rewritten files.";

    public static async Task<string> FetchAsync(ApiFactory factory)
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = ServedFrom });
        using var response = await client.GetAsync(new Uri(ServedPath, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), text);
        return text;
    }

    public static JsonNode Parse(string json) => JsonNode.Parse(json) ?? throw new InvalidOperationException("the document is JSON null");

    /// <summary>The JSON at of the first place two documents differ, or null when they are equal.</summary>
    public static string? FirstDifference(JsonNode? expected, JsonNode? actual, string at = "")
    {
        if (expected is JsonObject eo && actual is JsonObject ao)
        {
            foreach (var name in eo.Select(p => p.Key).Union(ao.Select(p => p.Key)))
            {
                if (FirstDifference(eo[name], ao[name], at + "/" + name.Replace("~", "~0").Replace("/", "~1")) is { } found)
                    return found;
            }

            return null;
        }

        if (expected is JsonArray ea && actual is JsonArray aa && ea.Count == aa.Count)
        {
            for (var i = 0; i < ea.Count; i++)
            {
                if (FirstDifference(ea[i], aa[i], at + "/" + i) is { } found)
                    return found;
            }

            return null;
        }

        return JsonNode.DeepEquals(expected, actual) ? null : (at.Length == 0 ? "/" : at);
    }

    public static string RepoPath(string relative) => RepoFiles.Path(relative);
}
