using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace OpsDesk.Api.Http;

/// <summary>
/// Documents a JSON request body in OpenAPI without <c>Accepts(...)</c>: that also adds a routing
/// constraint on Content-Type, whose generated 415 endpoint carries none of the endpoint's metadata,
/// so the fallback authorization policy answered an anonymous caller 401 instead of 415. The media
/// type is checked by <see cref="JsonBody"/>, after the endpoint's own authorization. Also documents
/// the problems <see cref="JsonBody"/> answers itself: 413 (too large) and 415 (not JSON). The body's
/// schema is a named component (the type's name), so client generators name the type after it.
/// </summary>
public static class JsonBodyDocs
{
    public static RouteHandlerBuilder DocumentsJsonBody<TBody>(this RouteHandlerBuilder builder) =>
        builder
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .AddOpenApiOperationTransformer(DescribeBodyAsync<TBody>);

    private static async Task DescribeBodyAsync<TBody>(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var schema = await context.GetOrCreateSchemaAsync(typeof(TBody), null, ct);
        var name = typeof(TBody).Name;
        context.Document?.AddComponent<IOpenApiSchema>(name, schema);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = context.Document is null ? schema : new OpenApiSchemaReference(name, context.Document) },
            },
        };
    }
}
