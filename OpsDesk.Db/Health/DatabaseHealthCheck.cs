using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using OpsDesk.Db.Resilience;

namespace OpsDesk.Db.Health;

/// <summary>Ready when PostgreSQL answers a trivial query within <see cref="Timeout"/>.</summary>
public sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            await using var cmd = dataSource.CreateCommand("SELECT 1");
            // The driver does not always give up when the token fires (a frozen server: the cancel request
            // itself waits; with Multiplexing=true a running command ignores it), so the wait is bounded
            // here too. An abandoned command ends with its connection (command timeout, or the server's answer).
            await cmd.ExecuteScalarAsync(timeout.Token).WaitAsync(timeout.Token);
            return HealthCheckResult.Healthy("database reachable");
        }
        catch (Exception ex) when (DbErrors.IsDatabaseFailure(ex) || ex is OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("database unreachable: " + ex.GetType().Name);
        }
    }
}
