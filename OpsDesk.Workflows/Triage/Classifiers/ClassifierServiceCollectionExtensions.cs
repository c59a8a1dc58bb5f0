using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
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

        services.AddOptions<OpenAIOptions>().BindConfiguration(OpenAIOptions.Section).ValidateDataAnnotations()
            .Validate<IOptions<TriageOptions>>(
                (o, triage) => !Selected(triage, "openai") || !string.IsNullOrWhiteSpace(o.ApiKey),
                "OpenAI:ApiKey is required when Triage:Provider is openai (environment variable OpenAI__ApiKey).")
            .Validate(
                o => string.IsNullOrWhiteSpace(o.Endpoint) || IsHttpUrl(o.Endpoint),
                "OpenAI:Endpoint must be an absolute http(s) URL such as http://localhost:8000/v1, or empty for api.openai.com.")
            .ValidateOnStart();

        services.AddOptions<AzureOpenAIOptions>().BindConfiguration(AzureOpenAIOptions.Section).ValidateDataAnnotations()
            .Validate<IOptions<TriageOptions>>(
                (o, triage) => !Selected(triage, "azure") || IsHttpUrl(o.Endpoint),
                "AzureOpenAI:Endpoint is required when Triage:Provider is azure and must be an absolute http(s) URL (environment variable AzureOpenAI__Endpoint).")
            .Validate<IOptions<TriageOptions>>(
                (o, triage) => !Selected(triage, "azure") || !string.IsNullOrWhiteSpace(o.Deployment),
                "AzureOpenAI:Deployment is required when Triage:Provider is azure (environment variable AzureOpenAI__Deployment).")
            .Validate<IOptions<TriageOptions>>(
                (o, triage) => !Selected(triage, "azure") || !string.IsNullOrWhiteSpace(o.ApiKey),
                "AzureOpenAI:ApiKey is required when Triage:Provider is azure (environment variable AzureOpenAI__ApiKey).")
            .ValidateOnStart();

        services.TryAddSingleton<ITicketClassifier>(sp =>
        {
            var provider = sp.GetRequiredService<IOptions<TriageOptions>>().Value.Provider;
            var logger = sp.GetRequiredService<ILogger<ChatTicketClassifier>>();
            switch (provider)
            {
                case "openai":
                {
                    var o = sp.GetRequiredService<IOptions<OpenAIOptions>>().Value;
                    return new ChatTicketClassifier(ChatClientFactory.CreateOpenAI(o), "openai", o.Model, logger);
                }

                case "azure":
                {
                    var o = sp.GetRequiredService<IOptions<AzureOpenAIOptions>>().Value;
                    return new ChatTicketClassifier(ChatClientFactory.CreateAzure(o), "azure", o.Deployment!, logger);
                }

                case "local":
                    return new LocalTicketClassifier();
                default:
                    throw new InvalidOperationException($"Triage:Provider '{provider}' is not one of local, openai, azure.");
            }
        });
        return services;
    }

    private static bool Selected(IOptions<TriageOptions> triage, string provider) =>
        string.Equals(triage.Value.Provider, provider, StringComparison.Ordinal);

    private static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
