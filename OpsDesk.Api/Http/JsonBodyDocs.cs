using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace OpsDesk.Api.Http;

/// <summary>
/// Documents a JSON request body in OpenAPI without <c>Accepts(...)</c>: that also adds a routing
/// constraint on Content-Type, whose generated 415 endpoint carries none of the endpoint's metadata,
/// so the fallback authorization policy answered an anonymous caller 401 instead of 415. The media
/// type is checked by <see cref="JsonBody"/>, after the endpoint's own authorization.
/// </summary>
public static class JsonBodyDocs
{
    public static RouteHandlerBuilder DocumentsJsonBody<TBody>(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, ct) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(TBody), null, ct);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
            };
        });
}
