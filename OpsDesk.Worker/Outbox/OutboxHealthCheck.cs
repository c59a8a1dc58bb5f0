using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using OpsDesk.Db.Outbox;
using OpsDesk.Db.Resilience;

namespace OpsDesk.Worker.Outbox;

/// <summary>
/// Readiness of the outbox relay: Healthy when off, on standby or publishing; Degraded while Kafka
/// cannot be reached or while events are parked; Unhealthy once an outage has lasted
/// <see cref="KafkaOptions.UnhealthyAfter"/>. The description carries the backlog (events not yet
/// published) and the parked events with the events held behind them; the data carries the counts.
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

        var (backlog, parked, held) = await CountsAsync(cancellationToken);
        var data = new Dictionary<string, object>
        {
            ["role"] = role.ToString(),
            ["backlog"] = backlog ?? -1,
            ["parked"] = parked ?? -1,
            ["held_behind_parked"] = held ?? -1,
        };
        var backlogText = backlog?.ToString(CultureInfo.InvariantCulture) ?? "unknown";
        var parkedText = parked is > 0
            ? $"; {parked} parked event(s) the broker will not take, holding {held} later event(s) of their tickets: see `opsdesk events parked`"
            : "";
        if (status.FailingSince is { } since)
        {
            var now = (time ?? TimeProvider.System).GetUtcNow();
            var description = $"relay cannot publish since {since:O} ({status.LastError}); backlog {backlogText} events{parkedText}";
            return now - since >= options.Value.UnhealthyAfter
                ? HealthCheckResult.Unhealthy(description, data: data)
                : HealthCheckResult.Degraded(description, data: data);
        }

        var state = role switch
        {
            RelayRole.Standby => $"standby: another worker publishes; backlog {backlogText} events",
            RelayRole.Leader => $"publishing; backlog {backlogText} events",
            _ => $"starting; backlog {backlogText} events",
        };
        // Parked events need an operator, but the relay is working: Degraded, not Unhealthy.
        return parked is > 0 ? HealthCheckResult.Degraded(state + parkedText, data: data) : HealthCheckResult.Healthy(state, data);
    }

    private async Task<(long? Backlog, long? Parked, long? Held)> CountsAsync(CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            var backlog = await store.CountBacklogAsync(timeout.Token);
            var (parked, held) = await store.CountParkedAsync(timeout.Token);
            return (backlog, parked, held);
        }
        catch (Exception ex) when (DbErrors.IsDatabaseFailure(ex) || ex is OperationCanceledException)
        {
            return (null, null, null);
        }
    }
}
