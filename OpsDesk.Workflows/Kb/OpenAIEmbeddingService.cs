using System.ClientModel;
using OpenAI.Embeddings;
using OpsDesk.Workflows.Triage.Classifiers;
using OpsDesk.Workflows.Triage.Classifiers.Chat;

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

    public static OpenAIEmbeddingService CreateOpenAI(OpenAIOptions options, string embeddingModel) =>
        new(new EmbeddingClient(embeddingModel, new ApiKeyCredential(options.ApiKey!), ChatClientFactory.OpenAIClientOptions(options)), "openai:" + embeddingModel);

    public static OpenAIEmbeddingService CreateAzure(AzureOpenAIOptions options, string deployment) =>
        new(ChatClientFactory.Azure(options).GetEmbeddingClient(deployment), "azure:" + deployment);
}
