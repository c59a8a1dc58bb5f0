using Microsoft.OpenApi;

namespace OpsDesk.Api.OpenApi;

/// <summary>Adds an RFC 9457 problem response (application/problem+json, the ProblemDetails schema) to an operation.</summary>
public static class ProblemResponses
{
    public const string ProblemJson = "application/problem+json";
    public const string ProblemDetailsSchema = "ProblemDetails";

    public static readonly KeyValuePair<string, string> RetryAfter = new("Retry-After", "Seconds to wait before retrying.");
    public static readonly KeyValuePair<string, string> WwwAuthenticate = new("WWW-Authenticate", "The Bearer challenge (RFC 6750), with error=\"invalid_token\" when credentials were refused.");

    public static void Add(OpenApiOperation operation, OpenApiDocument? document, int status, string description, params KeyValuePair<string, string>[] headers)
    {
        operation.Responses ??= [];
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses.ContainsKey(key))
            return;
        var response = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
            {
                [ProblemJson] = new() { Schema = new OpenApiSchemaReference(ProblemDetailsSchema, document) },
            },
        };
        if (headers.Length > 0)
        {
            response.Headers = headers.ToDictionary(
                h => h.Key,
                h => (IOpenApiHeader)new OpenApiHeader { Description = h.Value, Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                StringComparer.Ordinal);
        }

        operation.Responses[key] = response;
    }
}
