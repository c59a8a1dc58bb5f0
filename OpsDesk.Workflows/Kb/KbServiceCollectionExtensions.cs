using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpsDesk.Workflows.Triage;
using OpsDesk.Workflows.Triage.Classifiers;
using OpsDesk.Workflows.Triage.Classifiers.Chat;

namespace OpsDesk.Workflows.Kb;

public static class KbServiceCollectionExtensions
{
    /// <summary>
    /// Binds <c>Kb</c> and registers the embedding service (<c>Kb:EmbeddingProvider</c>: local MiniLM by
    /// default, openai or azure), the in-memory vector index and the hybrid retriever.
    /// </summary>
    public static IServiceCollection AddKnowledgeBase(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(KbRetriever)))
            return services;
        services.AddOptions<KbOptions>().BindConfiguration(KbOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddTriageProviderOptions();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MiniLmEmbeddingService>();
        services.TryAddSingleton<IEmbeddingService>(sp =>
        {
            var kb = sp.GetRequiredService<IOptions<KbOptions>>().Value;
            return kb.EmbeddingProvider switch
            {
                "openai" => OpenAIEmbeddingService.CreateOpenAI(sp.GetRequiredService<IOptions<OpenAIOptions>>().Value, kb.EmbeddingModel),
                "azure" => OpenAIEmbeddingService.CreateAzure(sp.GetRequiredService<IOptions<AzureOpenAIOptions>>().Value, kb.EmbeddingModel),
                _ => sp.GetRequiredService<MiniLmEmbeddingService>(),
            };
        });
        services.TryAddSingleton<KbVectorIndex>();
        services.TryAddSingleton<KbRetriever>();
        // Drafts come from the triage provider's chat model (openai, azure) or, offline, the best article.
        services.TryAddSingleton(sp =>
        {
            var provider = sp.GetRequiredService<IConfiguration>()[$"{TriageOptions.Section}:{nameof(TriageOptions.Provider)}"] ?? "local";
            var (chat, model) = provider switch
            {
                "openai" => (ChatClientFactory.CreateOpenAI(sp.GetRequiredService<IOptions<OpenAIOptions>>().Value), sp.GetRequiredService<IOptions<OpenAIOptions>>().Value.Model),
                "azure" => (ChatClientFactory.CreateAzure(sp.GetRequiredService<IOptions<AzureOpenAIOptions>>().Value), sp.GetRequiredService<IOptions<AzureOpenAIOptions>>().Value.Deployment),
                _ => ((OpenAI.Chat.ChatClient?)null, (string?)null),
            };
            return new ReplyDrafter(
                sp.GetRequiredService<OpsDesk.Db.Kb.KbRepository>(), sp.GetRequiredService<KbRetriever>(), chat, model,
                sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<ReplyDrafter>>());
        });
        return services;
    }
}
