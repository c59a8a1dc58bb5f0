using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpsDesk.Workflows.Kb;
using OpsDesk.Workflows.Triage.Classifiers.Chat;
using OpsDesk.Workflows.Triage.Classifiers.Local;

namespace OpsDesk.Workflows.Triage.Classifiers;

public static class ClassifierServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <c>Triage</c>, <c>OpenAI</c> and <c>AzureOpenAI</c> (at start-up), and registers
    /// the one <see cref="ITicketClassifier"/> that <c>Triage:Provider</c> selects: local, openai or azure.
    /// </summary>
    public static IServiceCollection AddTicketClassifiers(this IServiceCollection services)
    {
        services.AddOptions<TriageOptions>().BindConfiguration(TriageOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.AddTriageProviderOptions();
        services.TryAddSingleton<MiniLmEmbeddingService>();

        services.TryAddSingleton<ITicketClassifier>(sp =>
            sp.GetRequiredService<IOptions<TriageOptions>>().Value.Provider switch
            {
                "openai" => CreateOpenAI(sp),
                "azure" => CreateAzure(sp),
                "local" => new HybridLocalClassifier(sp.GetRequiredService<MiniLmEmbeddingService>()),
                var other => throw new InvalidOperationException($"Triage:Provider '{other}' is not one of local, openai, azure."),
            });
        return services;
    }

    /// <summary>Binds and validates <c>OpenAI</c> and <c>AzureOpenAI</c> against <c>Triage:Provider</c> (once per process).</summary>
    public static IServiceCollection AddTriageProviderOptions(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(ProviderOptionsMarker)))
            return services;
        services.AddSingleton<ProviderOptionsMarker>();
        services.AddOptions<OpenAIOptions>().BindConfiguration(OpenAIOptions.Section).ValidateDataAnnotations()
            .Validate<IConfiguration>(
                (o, config) => !Selected(config, "openai") || !string.IsNullOrWhiteSpace(o.ApiKey),
                "OpenAI:ApiKey is required when Triage:Provider is openai (environment variable OpenAI__ApiKey).")
            .Validate(
                o => string.IsNullOrWhiteSpace(o.Endpoint) || IsHttpUrl(o.Endpoint),
                "OpenAI:Endpoint must be an absolute http(s) URL such as http://localhost:8000/v1, or empty for api.openai.com.")
            .ValidateOnStart();

        services.AddOptions<AzureOpenAIOptions>().BindConfiguration(AzureOpenAIOptions.Section).ValidateDataAnnotations()
            .Validate<IConfiguration>(
                (o, config) => !Selected(config, "azure") || IsHttpUrl(o.Endpoint),
                "AzureOpenAI:Endpoint is required when Triage:Provider is azure and must be an absolute http(s) URL (environment variable AzureOpenAI__Endpoint).")
            .Validate<IConfiguration>(
                (o, config) => !Selected(config, "azure") || !string.IsNullOrWhiteSpace(o.Deployment),
                "AzureOpenAI:Deployment is required when Triage:Provider is azure (environment variable AzureOpenAI__Deployment).")
            .Validate<IConfiguration>(
                (o, config) => !Selected(config, "azure") || !string.IsNullOrWhiteSpace(o.ApiKey),
                "AzureOpenAI:ApiKey is required when Triage:Provider is azure (environment variable AzureOpenAI__ApiKey).")
            .ValidateOnStart();
        return services;
    }

    private static ChatTicketClassifier CreateOpenAI(IServiceProvider sp)
    {
        var o = sp.GetRequiredService<IOptions<OpenAIOptions>>().Value;
        return new ChatTicketClassifier(ChatClientFactory.CreateOpenAI(o), "openai", o.Model, sp.GetRequiredService<ILogger<ChatTicketClassifier>>());
    }

    private static ChatTicketClassifier CreateAzure(IServiceProvider sp)
    {
        var o = sp.GetRequiredService<IOptions<AzureOpenAIOptions>>().Value;
        return new ChatTicketClassifier(ChatClientFactory.CreateAzure(o), "azure", o.Deployment!, sp.GetRequiredService<ILogger<ChatTicketClassifier>>());
    }

    // Read from configuration rather than IOptions<TriageOptions> so a bad Triage:Provider is reported once, by its own rule.
    private static bool Selected(IConfiguration config, string provider) =>
        string.Equals(config[$"{TriageOptions.Section}:{nameof(TriageOptions.Provider)}"] ?? "local", provider, StringComparison.Ordinal);

    private static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private sealed class ProviderOptionsMarker;
}
