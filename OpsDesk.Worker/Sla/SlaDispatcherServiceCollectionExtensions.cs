using Microsoft.Extensions.DependencyInjection.Extensions;
using OpsDesk.Db.Sla;
using OpsDesk.Workflows.Sla;
using OpsDesk.Workflows.Temporal;

namespace OpsDesk.Worker.Sla;

public static class SlaDispatcherServiceCollectionExtensions
{
    /// <summary>The SLA services (options, repository, activities) and the change dispatcher that feeds the SLA workflows.</summary>
    public static IServiceCollection AddSlaDispatcher(this IServiceCollection services)
    {
        services.AddSla();
        // Bound (and validated) by AddTriageStarting in the worker; bound here too so this stands alone.
        services.AddOptions<TemporalOptions>().BindConfiguration(TemporalOptions.Section);
        services.TryAddSingleton<TemporalClientProvider>();
        services.TryAddSingleton<ISlaSignaler, TemporalSlaSignaler>();
        services.AddSingleton<SlaChangeDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<SlaChangeDispatcher>());
        return services;
    }
}
