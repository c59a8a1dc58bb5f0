using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.AI.OpenAI;
using OpenAI;
using OpenAI.Chat;

namespace OpsDesk.Workflows.Triage.Classifiers.Chat;

/// <summary>
/// Builds the SDK chat clients. The SDKs' own retries are switched off (Temporal retries the activity
/// with backoff, and a hidden retry would multiply calls) and every call gets a network timeout.
/// </summary>
public static class ChatClientFactory
{
    public static ChatClient CreateOpenAI(OpenAIOptions options) =>
        new(options.Model, new ApiKeyCredential(options.ApiKey!), OpenAIClientOptions(options));

    public static ChatClient CreateAzure(AzureOpenAIOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Deployment, "AzureOpenAI:Deployment");
        return Azure(options).GetChatClient(options.Deployment);
    }

    /// <summary>The OpenAI SDK settings every OpenAI client of OpsDesk uses (chat, embeddings): no SDK retries, a network timeout.</summary>
    public static OpenAIClientOptions OpenAIClientOptions(OpenAIOptions options)
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
        return clientOptions;
    }

    /// <summary>The Azure OpenAI client every Azure client of OpsDesk comes from (chat, embeddings), with the same settings.</summary>
    public static AzureOpenAIClient Azure(AzureOpenAIOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Endpoint, "AzureOpenAI:Endpoint");
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ApiKey, "AzureOpenAI:ApiKey");
        var clientOptions = new AzureOpenAIClientOptions
        {
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
            UserAgentApplicationId = "opsdesk",
        };
        return new AzureOpenAIClient(new Uri(options.Endpoint), new ApiKeyCredential(options.ApiKey), clientOptions);
    }
}
