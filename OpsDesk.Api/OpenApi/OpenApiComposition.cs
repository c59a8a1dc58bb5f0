using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;

namespace OpsDesk.Api.OpenApi;

/// <summary>The served OpenAPI document (<c>/openapi/v1.json</c>) and what it adds to the framework's description of the endpoints.</summary>
public static class OpenApiComposition
{
    public static IServiceCollection AddOpsDeskOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            // Free-form JSON (timeline payloads, AI entities and citations) stays an inline "any value"
            // schema: as a component named JsonElement, generators made a class of it that cannot hold an array.
            o.CreateSchemaReferenceId = type => type.Type == typeof(JsonElement) ? null : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
            o.AddDocumentTransformer<ApiDocumentTransformer>();
            o.AddOperationTransformer<OperationSecurityTransformer>();
            o.AddOperationTransformer<PlatformProblemsTransformer>();
            o.AddSchemaTransformer<WireSchemaTransformer>();
        });
}
