using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using OpsDesk.Api.Tickets;

namespace OpsDesk.Api.OpenApi;

/// <summary>
/// Makes schemas say what the API writes. The web JSON defaults also read numbers from strings, so the
/// generated schemas allow "integer or string"; the API always writes numbers, and no request body has
/// a number, so the string alternative and its pattern are dropped (path ids are routed by :long anyway). Problem details carry a traceId and
/// may carry other extension members (RFC 9457), so they are open objects. <see cref="TicketResponse"/>
/// and its subclasses have init properties, which the exporter marks optional, but every one is written
/// (the JSON context never omits a member), so all are required.
/// </summary>
public sealed class WireSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Type is { } type && (type & (JsonSchemaType.Integer | JsonSchemaType.Number)) != 0)
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        if (typeof(ProblemDetails).IsAssignableFrom(context.JsonTypeInfo.Type))
        {
            schema.AdditionalPropertiesAllowed = true;
            schema.AdditionalProperties = null;
            schema.Properties ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
            schema.Properties["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Quote it when reporting a problem; the server logs it." };
        }

        if (typeof(TicketResponse).IsAssignableFrom(context.JsonTypeInfo.Type) && schema.Properties is { Count: > 0 } properties)
            schema.Required = new HashSet<string>(properties.Keys, StringComparer.Ordinal);

        return Task.CompletedTask;
    }
}
