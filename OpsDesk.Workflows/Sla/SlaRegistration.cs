using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpsDesk.Db.Sla;
using Temporalio.Worker;

namespace OpsDesk.Workflows.Sla;

/// <summary>Wiring of the SLA clock: options, repository, activities, and the worker registration.</summary>
public static class SlaRegistration
{
    /// <summary><c>Sla</c> options (validated at start) and <see cref="SlaActivities"/>. Needs <c>AddOpsDeskDb()</c> (its repository).</summary>
    public static IServiceCollection AddSla(this IServiceCollection services)
    {
        services.AddOptions<SlaOptions>().BindConfiguration(SlaOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SlaOptions>, SlaOptionsValidator>());
        services.TryAddSingleton<SlaActivities>();
        return services;
    }

    /// <summary>Registers <see cref="SlaWorkflow"/> and the activities of <paramref name="activities"/> on a worker.</summary>
    public static TemporalWorkerOptions AddSlaWorkflow(this TemporalWorkerOptions options, SlaActivities activities) =>
        options.AddWorkflow<SlaWorkflow>().AddAllActivities(activities);
}
