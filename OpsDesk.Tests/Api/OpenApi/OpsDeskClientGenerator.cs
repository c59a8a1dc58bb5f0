using NJsonSchema.CodeGeneration.CSharp;
using NSwag;
using NSwag.CodeGeneration.CSharp;
using NSwag.CodeGeneration.OperationNameGenerators;

namespace OpsDesk.Tests.Api.OpenApi;

/// <summary>NSwag's C# client generator with the settings the committed client (Generated/OpsDeskClient.g.cs) was made with.</summary>
internal static class OpsDeskClientGenerator
{
    public const string Namespace = "OpsDesk.Tests.Api.OpenApi.Generated";

    public static async Task<string> GenerateAsync(string documentJson)
    {
        var document = await OpenApiDocument.FromJsonAsync(documentJson);
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = "OpsDeskClient",
            // The caller's HttpClient (its BaseAddress and Authorization header) decides where and as whom.
            UseBaseUrl = false,
            GenerateClientInterfaces = false,
            OperationNameGenerator = new SingleClientFromOperationIdOperationNameGenerator(),
        };
        settings.CSharpGeneratorSettings.Namespace = Namespace;
        settings.CSharpGeneratorSettings.JsonLibrary = CSharpJsonLibrary.SystemTextJson;
        settings.CSharpGeneratorSettings.GenerateNullableReferenceTypes = true;
        settings.CSharpGeneratorSettings.GenerateOptionalPropertiesAsNullable = true;
        settings.CSharpGeneratorSettings.GenerateDataAnnotations = false;
        return new CSharpClientGenerator(document, settings).GenerateFile();
    }
}
