using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace OpsDesk.Db.Health;

public static class DatabaseHealthCheckRegistration
{
    /// <summary>
    /// Adds the "database" readiness check once, even when the API and the worker are composed in one
    /// host (dev mode): health check names must be unique.
    /// </summary>
    public static IServiceCollection AddDatabaseHealthCheck(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(DatabaseHealthCheckMarker)))
            return services;
        services.TryAddSingleton<DatabaseHealthCheckMarker>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [HealthEndpoints.ReadyTag]);
        return services;
    }

    private sealed class DatabaseHealthCheckMarker;
}
