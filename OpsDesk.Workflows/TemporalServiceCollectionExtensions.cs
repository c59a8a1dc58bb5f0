using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpsDesk.Workflows.Temporal;
using OpsDesk.Workflows.Triage;

namespace OpsDesk.Workflows;

public static class TemporalServiceCollectionExtensions
{
    /// <summary>The Temporal options, the shared client provider and the triage starter.</summary>
    public static IServiceCollection AddTriageStarting(this IServiceCollection services)
    {
        services.AddOptions<TemporalOptions>().BindConfiguration(TemporalOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Options.IValidateOptions<TemporalOptions>, TemporalOptionsValidator>());
        // The API does not classify, but a provider set without its key is a broken deployment: fail it there too.
        Triage.Classifiers.ClassifierServiceCollectionExtensions.AddTriageProviderOptions(services);
        // The classifier registration binds Triage too; binding it twice would report a bad value twice.
        if (!services.Any(d => d.ServiceType == typeof(Microsoft.Extensions.Options.IValidateOptions<TriageOptions>)))
            services.AddOptions<TriageOptions>().BindConfiguration(TriageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<TemporalClientProvider>();
        services.TryAddSingleton<ITriageStarter, TemporalTriageStarter>();
        return services;
    }

    /// <summary>Triage starts after commit, off the request path (the API; see <see cref="TriageStartQueue"/>).</summary>
    public static IServiceCollection AddTriageStartQueue(this IServiceCollection services)
    {
        services.AddTriageStarting();
        services.TryAddSingleton<TriageStartQueue>();
        services.AddHostedService(sp => sp.GetRequiredService<TriageStartQueue>());
        return services;
    }
}
