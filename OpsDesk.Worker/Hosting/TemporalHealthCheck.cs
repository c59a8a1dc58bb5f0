using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OpsDesk.Worker.Hosting;

/// <summary>
/// Degraded (not unhealthy: the worker keeps retrying on its own) while Temporal is unreachable, or
/// while it polls but could not register the search attributes — each with what went wrong.
/// </summary>
public sealed class TemporalHealthCheck(WorkerStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            !status.TemporalConnected ? HealthCheckResult.Degraded("Temporal unreachable; the worker keeps retrying")
            : status.SearchAttributesProblem is { } problem ? HealthCheckResult.Degraded("worker polling Temporal, but " + problem)
            : HealthCheckResult.Healthy("worker polling Temporal"));
}
