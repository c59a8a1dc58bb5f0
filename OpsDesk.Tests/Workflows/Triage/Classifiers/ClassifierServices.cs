using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpsDesk.Tests.Support;
using OpsDesk.Workflows.Triage.Classifiers;

namespace OpsDesk.Tests.Workflows.Triage.Classifiers;

/// <summary>Builds classifiers the way the worker does: configuration → AddTicketClassifiers → ITicketClassifier.</summary>
internal static class ClassifierServices
{
    public static ServiceProvider Build(IDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddTicketClassifiers();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public static (ServiceProvider Services, ITicketClassifier Classifier) OpenAI(FakeChatCompletionsServer server, int timeoutSeconds = 10)
    {
        var services = Build(new Dictionary<string, string?>
        {
            ["Triage:Provider"] = "openai",
            ["OpenAI:ApiKey"] = "sk-test-key",
            ["OpenAI:Endpoint"] = server.OpenAIEndpoint,
            ["OpenAI:TimeoutSeconds"] = timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        return (services, services.GetRequiredService<ITicketClassifier>());
    }

    public static (ServiceProvider Services, ITicketClassifier Classifier) Azure(FakeChatCompletionsServer server)
    {
        var services = Build(new Dictionary<string, string?>
        {
            ["Triage:Provider"] = "azure",
            ["AzureOpenAI:Endpoint"] = server.BaseUrl.ToString(),
            ["AzureOpenAI:Deployment"] = "triage-deployment",
            ["AzureOpenAI:ApiKey"] = "az-test-key",
            ["AzureOpenAI:TimeoutSeconds"] = "10",
        });
        return (services, services.GetRequiredService<ITicketClassifier>());
    }
}
