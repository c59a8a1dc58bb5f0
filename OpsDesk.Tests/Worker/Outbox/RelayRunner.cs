using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpsDesk.Db.Outbox;
using OpsDesk.Tests.Support;
using OpsDesk.Worker.Outbox;

namespace OpsDesk.Tests.Worker.Outbox;

/// <summary>One relay "process" against a test database: its own producer, leader session and status.</summary>
public sealed class RelayRunner : IAsyncDisposable
{
    private bool started;

    public RelayRunner(OutboxTestDb db, KafkaOptions options)
    {
        Options = options;
        Store = new OutboxStore(db.DataSource, db.ConnectionString);
        var validation = new KafkaOptionsValidator().Validate(null, options);
        Assert.That(validation.Failed, Is.False, validation.FailureMessage);
        Relay = new OutboxRelay(Microsoft.Extensions.Options.Options.Create(options), Store, Provisioner, Status, Logger);
    }

    /// <summary>Test settings: a per-test topic prefix and short waits.</summary>
    public static KafkaOptions TestOptions(string? bootstrapServers, string prefix, int batchSize = 500) => new()
    {
        BatchSize = batchSize,
        BootstrapServers = bootstrapServers,
        TopicPrefix = prefix,
        PollInterval = TimeSpan.FromSeconds(1),
        StandbyRetryInterval = TimeSpan.FromMilliseconds(200),
        RetryBackoff = TimeSpan.FromMilliseconds(200),
        MaxRetryBackoff = TimeSpan.FromSeconds(1),
        MessageTimeoutMs = 10_000,
    };

    public static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..10] + ".";

    public KafkaOptions Options { get; }

    public OutboxStore Store { get; }

    public OutboxRelay Relay { get; }

    public OutboxRelayStatus Status { get; } = new();

    public ListLogger<OutboxRelay> Logger { get; } = new();

    public RecordingTopicProvisioner Provisioner { get; } = new();

    public OutboxHealthCheck HealthCheck => new(Status, Store, Microsoft.Extensions.Options.Options.Create(Options));

    public Task<HealthCheckResult> CheckHealthAsync() =>
        HealthCheck.CheckHealthAsync(new HealthCheckContext { Registration = new HealthCheckRegistration(OutboxHealthCheck.Name, HealthCheck, null, null) });

    public async Task StartAsync()
    {
        started = true;
        await Relay.StartAsync(CancellationToken.None);
    }

    public async Task StopAsync()
    {
        if (!started)
            return;
        started = false;
        await Relay.StopAsync(CancellationToken.None);
    }

    public async Task WaitForAsync(Func<OutboxRelayStatus, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!condition(Status))
        {
            if (Relay.ExecuteTask is { IsFaulted: true } failed)
                Assert.Fail($"relay crashed: {failed.Exception}");
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"timed out waiting for: {what} (role {Status.Role}, cycles {Status.Cycles}, failures {Status.Failures}, last error {Status.LastError}); "
                    + "last log entries:\n" + string.Join("\n", Logger.Entries.TakeLast(15).Select(e => $"{e.Level} {e.Id.Id} {e.Message}")));
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Relay.Dispose();
    }
}

/// <summary>Stands in for topic creation (the mock cluster has no admin API); records what it was asked for.</summary>
public sealed class RecordingTopicProvisioner : ITopicProvisioner
{
    public ConcurrentQueue<string> Requested { get; } = new();

    public Task EnsureTopicsAsync(IReadOnlyCollection<string> topics, CancellationToken ct)
    {
        foreach (var topic in topics)
            Requested.Enqueue(topic);
        return Task.CompletedTask;
    }
}
