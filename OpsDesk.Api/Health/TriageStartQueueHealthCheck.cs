using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpsDesk.Workflows.Triage;

namespace OpsDesk.Api.Health;

/// <summary>
/// The after-commit start queue, in readiness: how many tickets wait for their workflow start and how
/// many a full queue left to the reconciler. Degraded (still ready) when the queue is nearly full:
/// Temporal is slower than intake.
/// </summary>
public sealed class TriageStartQueueHealthCheck(TriageStartQueue queue) : IHealthCheck
{
    public const string Name = "triage-start-queue";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var description = $"{queue.Waiting} waiting, {queue.Dropped} left to the reconciler";
        return Task.FromResult(queue.Waiting >= queue.Capacity * 9 / 10
            ? HealthCheckResult.Degraded(description + "; Temporal starts lag behind intake")
            : HealthCheckResult.Healthy(description));
    }
}
