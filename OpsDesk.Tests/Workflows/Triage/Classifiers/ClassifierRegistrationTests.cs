using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpsDesk.Workflows.Triage.Classifiers;
using OpsDesk.Workflows.Triage.Classifiers.Chat;
using OpsDesk.Workflows.Triage.Classifiers.Local;

namespace OpsDesk.Tests.Workflows.Triage.Classifiers;

/// <summary>AddTicketClassifiers: provider selection and start-up validation that names the setting.</summary>
public sealed class ClassifierRegistrationTests
{
    [Test]
    public async Task Local_is_the_default_provider_and_needs_no_key()
    {
        await using var services = ClassifierServices.Build(new Dictionary<string, string?>());

        var classifier = services.GetRequiredService<ITicketClassifier>();

        Assert.Multiple(() =>
        {
            Assert.That(classifier, Is.InstanceOf<HybridLocalClassifier>());
            Assert.That(classifier.Provider, Is.EqualTo("local"));
            Assert.That(services.GetServices<ITicketClassifier>().Count(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Openai_provider_with_a_key_registers_the_chat_classifier_once()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Triage:Provider"] = "openai", ["OpenAI:ApiKey"] = "sk-x" }).Build());
        services.AddLogging();
        services.AddTicketClassifiers();
        services.AddTicketClassifiers(); // a second call must not add a second classifier
        await using var provider = services.BuildServiceProvider();

        var classifier = provider.GetRequiredService<ITicketClassifier>();

        Assert.Multiple(() =>
        {
            Assert.That(classifier, Is.InstanceOf<ChatTicketClassifier>());
            Assert.That(classifier.Provider, Is.EqualTo("openai"));
            Assert.That(services.Count(d => d.ServiceType == typeof(ITicketClassifier)), Is.EqualTo(1));
        });
    }

    [Test]
    public void Openai_provider_without_a_key_stops_start_up_naming_OpenAI_ApiKey()
    {
        var error = StartFails(new() { ["Triage:Provider"] = "openai" });

        Assert.That(error.Message, Does.Contain("OpenAI:ApiKey"));
    }

    [Test]
    public void Openai_endpoint_that_is_not_a_url_stops_start_up_naming_OpenAI_Endpoint()
    {
        var error = StartFails(new() { ["Triage:Provider"] = "openai", ["OpenAI:ApiKey"] = "sk-x", ["OpenAI:Endpoint"] = "localhost:8000" });

        Assert.That(error.Message, Does.Contain("OpenAI:Endpoint"));
    }

    [Test]
    public void Azure_provider_without_settings_stops_start_up_naming_all_three()
    {
        var error = StartFails(new() { ["Triage:Provider"] = "azure" });

        Assert.That(error.Message, Does.Contain("AzureOpenAI:Endpoint").And.Contain("AzureOpenAI:Deployment").And.Contain("AzureOpenAI:ApiKey"));
    }

    [Test]
    public void Unknown_provider_stops_start_up_naming_Triage_Provider()
    {
        var error = StartFails(new() { ["Triage:Provider"] = "gemini" });

        Assert.That(error.Message, Does.Contain("Triage:Provider"));
    }

    [Test]
    public void Timeout_out_of_range_stops_start_up_naming_the_setting()
    {
        var error = StartFails(new() { ["OpenAI:TimeoutSeconds"] = "0" });

        Assert.That(error.Message, Does.Contain("OpenAI:TimeoutSeconds"));
    }

    [Test]
    public async Task Local_provider_starts_without_any_remote_settings()
    {
        using var host = BuildHost(new() { ["Triage:Provider"] = "local" });

        await host.StartAsync();
        await host.StopAsync();

        Assert.That(host.Services.GetRequiredService<ITicketClassifier>().Provider, Is.EqualTo("local"));
    }

    private static OptionsValidationException StartFails(Dictionary<string, string?> settings)
    {
        using var host = BuildHost(settings);
        return Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync())!;
    }

    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddTicketClassifiers();
        return builder.Build();
    }
}
