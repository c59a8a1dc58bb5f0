using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.AI.OpenAI;
using OpenAI;
using OpenAI.Embeddings;
using OpsDesk.Workflows.Triage.Classifiers;

namespace OpsDesk.Workflows.Kb;

/// <summary>
/// Embeddings from OpenAI (or any OpenAI-compatible server) or an Azure OpenAI deployment. Like the chat
/// clients: SDK retries off (the Temporal activity retries), a network timeout per call. Vectors are
/// stored under <c>{provider}:{model}</c>, so switching provider re-embeds instead of mixing spaces.
/// </summary>
public sealed class OpenAIEmbeddingService(EmbeddingClient client, string model) : IEmbeddingService
{
    public string Model { get; } = model;

    public async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken ct)
    {
        if (texts.Count == 0)
            return [];
        var result = await client.GenerateEmbeddingsAsync(texts, cancellationToken: ct);
        return result.Value.OrderBy(e => e.Index).Select(e => Vectors.Normalize(e.ToFloats().ToArray())).ToArray();
    }

    public static OpenAIEmbeddingService CreateOpenAI(OpenAIOptions options, string embeddingModel)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ApiKey, "OpenAI:ApiKey");
        var clientOptions = new OpenAIClientOptions
        {
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
            UserAgentApplicationId = "opsdesk",
        };
        if (!string.IsNullOrWhiteSpace(options.Endpoint))
            clientOptions.Endpoint = new Uri(options.Endpoint);
        return new OpenAIEmbeddingService(new EmbeddingClient(embeddingModel, new ApiKeyCredential(options.ApiKey), clientOptions), "openai:" + embeddingModel);
    }

    public static OpenAIEmbeddingService CreateAzure(AzureOpenAIOptions options, string deployment)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Endpoint, "AzureOpenAI:Endpoint");
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ApiKey, "AzureOpenAI:ApiKey");
        var clientOptions = new AzureOpenAIClientOptions
        {
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
            UserAgentApplicationId = "opsdesk",
        };
        var client = new AzureOpenAIClient(new Uri(options.Endpoint), new ApiKeyCredential(options.ApiKey), clientOptions);
        return new OpenAIEmbeddingService(client.GetEmbeddingClient(deployment), "azure:" + deployment);
    }
}
