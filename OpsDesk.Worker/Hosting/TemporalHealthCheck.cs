using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OpsDesk.Worker.Hosting;

/// <summary>Degraded (not unhealthy: the worker keeps retrying on its own) while Temporal is unreachable.</summary>
public sealed class TemporalHealthCheck(WorkerStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(status.TemporalConnected
            ? HealthCheckResult.Healthy("worker polling Temporal")
            : HealthCheckResult.Degraded("Temporal unreachable; the worker keeps retrying"));
}
