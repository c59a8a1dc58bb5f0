using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace OpsDesk.Worker.Outbox;

/// <summary>
/// Readiness of the outbox relay: Healthy when off, on standby or publishing; Degraded while Kafka
/// cannot be reached; Unhealthy once that has lasted <see cref="KafkaOptions.UnhealthyAfter"/>.
/// The description carries the backlog (events not yet published).
/// </summary>
public sealed class OutboxHealthCheck(
    OutboxRelayStatus status,
    OutboxStore store,
    IOptions<KafkaOptions> options,
    TimeProvider? time = null) : IHealthCheck
{
    public const string Name = "kafka-outbox";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var role = status.Role;
        if (role == RelayRole.Off)
            return HealthCheckResult.Healthy("relay off: Kafka:BootstrapServers is not set; events stay in the database");

        var backlog = await BacklogAsync(cancellationToken);
        var data = new Dictionary<string, object> { ["role"] = role.ToString(), ["backlog"] = backlog ?? -1 };
        var backlogText = backlog?.ToString(CultureInfo.InvariantCulture) ?? "unknown";
        if (status.FailingSince is { } since)
        {
            var now = (time ?? TimeProvider.System).GetUtcNow();
            var description = $"relay cannot publish since {since:O} ({status.LastError}); backlog {backlogText} events";
            return now - since >= options.Value.UnhealthyAfter
                ? HealthCheckResult.Unhealthy(description, data: data)
                : HealthCheckResult.Degraded(description, data: data);
        }

        return role switch
        {
            RelayRole.Standby => HealthCheckResult.Healthy($"standby: another worker publishes; backlog {backlogText} events", data),
            RelayRole.Leader => HealthCheckResult.Healthy($"publishing; backlog {backlogText} events", data),
            _ => HealthCheckResult.Healthy($"starting; backlog {backlogText} events", data),
        };
    }

    private async Task<long?> BacklogAsync(CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            return await store.CountBacklogAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return null;
        }
    }
}
