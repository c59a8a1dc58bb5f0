using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Npgsql;

namespace OpsDesk.Worker.Outbox;

/// <summary>
/// Publishes <c>ticket_events</c> to Kafka, oldest first, and sets <c>published_at</c> once the broker
/// acknowledged them. One relay per database is active (a session advisory lock); the others wait
/// as standbys. Wakes on NOTIFY ticket_events, with <see cref="KafkaOptions.PollInterval"/> as the
/// fallback. A crash between the acknowledgement and the UPDATE re-sends at most that one batch;
/// consumers drop such repeats by CloudEvent id.
/// </summary>
public sealed class OutboxRelay : BackgroundService
{
    /// <summary>How soon to look again when a checkpoint waits for an open writer (usually a commit in flight).</summary>
    private static readonly TimeSpan SettleRecheck = TimeSpan.FromMilliseconds(20);

    /// <summary>After the stop signal, how long a batch in flight may still collect delivery reports.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan OutageLogEvery = TimeSpan.FromMinutes(1);

    private readonly KafkaOptions options;
    private readonly OutboxStore store;
    private readonly ITopicProvisioner provisioner;
    private readonly OutboxRelayStatus status;
    private readonly ILogger<OutboxRelay> logger;
    private readonly TimeProvider time;
    private readonly HashSet<string> provisioned = new(StringComparer.Ordinal);
    private DateTimeOffset lastOutageLog;

    public OutboxRelay(
        IOptions<KafkaOptions> options,
        OutboxStore store,
        ITopicProvisioner provisioner,
        OutboxRelayStatus status,
        ILogger<OutboxRelay> logger,
        TimeProvider? time = null)
    {
        this.options = options.Value;
        this.store = store;
        this.provisioner = provisioner;
        this.status = status;
        this.logger = logger;
        this.time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Test seam: runs when every delivery report of a batch has arrived, before <c>published_at</c> is
    /// set. A hook that waits until the relay is stopped simulates a crash at exactly that point.
    /// </summary>
    internal Func<IReadOnlyList<OutboxEvent>, CancellationToken, Task>? AfterDelivery { get; set; }

    public OutboxRelayStatus Status => status;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled)
        {
            status.SetRole(RelayRole.Off);
            OutboxLog.RelayOff(logger);
            return;
        }

        await Task.Yield();
        var retry = options.RetryBackoff;
        var standbyLogged = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var session = await store.TryTakeLeadershipAsync(stoppingToken);
                retry = options.RetryBackoff;
                if (session is null)
                {
                    status.SetRole(RelayRole.Standby);
                    status.RecordSuccess(0, time.GetUtcNow());
                    if (!standbyLogged)
                        OutboxLog.Standby(logger, options.StandbyRetryInterval);
                    standbyLogged = true;
                    await Task.Delay(options.StandbyRetryInterval, time, stoppingToken);
                    continue;
                }

                standbyLogged = false;
                status.SetRole(RelayRole.Leader);
                OutboxLog.BecameLeader(logger, options.BootstrapServers!);
                await LeadAsync(session, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or IOException)
            {
                // The leadership session or the database is gone: whatever we held is released. Start over.
                status.SetRole(RelayRole.Starting);
                var now = time.GetUtcNow();
                if (status.RecordFailure("database: " + ex.Message, now) || now - lastOutageLog >= OutageLogEvery)
                {
                    lastOutageLog = now;
                    OutboxLog.DatabaseTrouble(logger, ex, retry);
                }

                if (!await DelayAsync(retry, stoppingToken))
                    break;
                retry = Min(retry * 2, options.MaxRetryBackoff);
            }
        }
    }

    private async Task LeadAsync(NpgsqlConnection session, CancellationToken ct)
    {
        IProducer<string, byte[]>? producer = null;
        try
        {
            var horizon = new PublishHorizon();
            var backoff = options.RetryBackoff;
            provisioned.Clear();
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                BatchOutcome outcome;
                try
                {
                    producer ??= BuildProducer();
                    outcome = await PublishBatchAsync(producer, horizon, ct);
                }
                catch (ArgumentException ex)
                {
                    // An unknown or malformed Kafka:Producer:* setting: librdkafka refuses the configuration.
                    OutboxLog.ProducerConfigInvalid(logger, ex.Message);
                    outcome = BatchOutcome.Failure("producer configuration: " + ex.Message, brokeProducer: false);
                }

                status.CycleDone();
                if (outcome.Error is { } error)
                {
                    if (outcome.BrokeProducer)
                    {
                        OutboxLog.ProducerFatal(logger, error);
                        producer?.Dispose();
                        producer = null;
                    }

                    await ReportFailureAsync(error, ct);
                    await WaitAsync(session, backoff, wakeOnNotify: false, ct);
                    backoff = Min(backoff * 2, options.MaxRetryBackoff);
                    continue;
                }

                backoff = options.RetryBackoff;
                if (status.RecordSuccess(outcome.Published, time.GetUtcNow()) is { } downFor)
                    OutboxLog.PublishingRecovered(logger, downFor);
                if (outcome.Full)
                    continue;
                await WaitAsync(session, horizon.HasPending ? SettleRecheck : options.PollInterval, wakeOnNotify: true, ct);
            }
        }
        finally
        {
            // Messages still queued in librdkafka are dropped; their rows stay unpublished and are sent again.
            producer?.Dispose();
        }
    }

    private async Task<BatchOutcome> PublishBatchAsync(IProducer<string, byte[]> producer, PublishHorizon horizon, CancellationToken ct)
    {
        var limit = horizon.Advance(await store.ProbeHorizonAsync(ct));
        if (limit == 0)
            return BatchOutcome.Idle;
        var batch = await store.ReadBatchAsync(limit, options.BatchSize, ct);
        if (batch.Count == 0)
            return BatchOutcome.Idle;

        if (options.ProvisionTopics)
        {
            var fresh = batch.Select(e => options.TopicFor(e.Type)).Distinct(StringComparer.Ordinal).Where(t => !provisioned.Contains(t)).ToList();
            if (fresh.Count > 0)
            {
                try
                {
                    await provisioner.EnsureTopicsAsync(fresh, ct);
                    provisioned.UnionWith(fresh);
                }
                catch (KafkaException ex)
                {
                    return BatchOutcome.Failure("topic provisioning: " + ex.Error.Reason, brokeProducer: false);
                }
            }
        }

        // Same key → same partition, and the idempotent producer keeps produce() order per partition.
        var reports = new Task<Error>[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var report = new TaskCompletionSource<Error>(TaskCreationOptions.RunContinuationsAsynchronously);
            reports[i] = report.Task;
            try
            {
                producer.Produce(options.TopicFor(batch[i].Type), CloudEventMessage.Create(batch[i]), r => report.TrySetResult(r.Error));
            }
            catch (ProduceException<string, byte[]> ex)
            {
                report.TrySetResult(ex.Error);
            }
            catch (KafkaException ex)
            {
                report.TrySetResult(ex.Error);
            }
        }

        // Every report arrives within message.timeout.ms; on stop, allow a short grace before giving up.
        using var grace = new CancellationTokenSource();
        await using (ct.Register(() => grace.CancelAfter(StopGrace)))
        {
            try
            {
                await Task.WhenAll(reports).WaitAsync(TimeSpan.FromMilliseconds(options.MessageTimeoutMs) + TimeSpan.FromSeconds(30), time, grace.Token);
            }
            catch (TimeoutException)
            {
                return BatchOutcome.Failure("delivery reports did not arrive in time", brokeProducer: true);
            }
            catch (OperationCanceledException) when (grace.IsCancellationRequested)
            {
                throw new OperationCanceledException(ct);
            }
        }

        var delivered = new List<long>(batch.Count);
        Error? firstError = null;
        for (var i = 0; i < batch.Count; i++)
        {
            var error = reports[i].Result;
            if (error.IsError)
                firstError ??= error;
            else
                delivered.Add(batch[i].Id);
        }

        if (AfterDelivery is { } hook)
            await hook(batch, ct);

        if (delivered.Count > 0)
        {
            // Not cancelled by the stop signal: the broker has these, so record that if at all possible.
            await store.MarkPublishedAsync(delivered, CancellationToken.None);
            OutboxLog.BatchPublished(logger, delivered.Count, delivered[^1]);
        }

        return firstError is null
            ? new BatchOutcome(delivered.Count, Full: batch.Count == options.BatchSize, Error: null, BrokeProducer: false)
            : new BatchOutcome(delivered.Count, Full: false, Error: $"{firstError.Code}: {firstError.Reason}", BrokeProducer: firstError.IsFatal);
    }

    private IProducer<string, byte[]> BuildProducer()
    {
        var config = new ProducerConfig
        {
            BootstrapServers = options.BootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
            MessageTimeoutMs = options.MessageTimeoutMs,
            LingerMs = 5,
            ClientId = "opsdesk-outbox-relay",
        };
        foreach (var (key, value) in options.Producer)
            config.Set(key, value);
        return new ProducerBuilder<string, byte[]>(config)
            // librdkafka's own connection chatter goes to debug; the relay logs outages itself, rate-limited.
            .SetLogHandler((_, m) => OutboxLog.Librdkafka(logger, m.Facility, m.Message))
            .SetErrorHandler((_, e) => OutboxLog.Librdkafka(logger, "error", e.Reason))
            .Build();
    }

    private async Task ReportFailureAsync(string error, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var transition = status.RecordFailure(error, now);
        if (!transition && now - lastOutageLog < OutageLogEvery)
            return;
        lastOutageLog = now;
        long backlog;
        try
        {
            backlog = await store.CountBacklogAsync(ct);
        }
        catch (NpgsqlException)
        {
            backlog = -1;
        }

        if (transition)
            OutboxLog.PublishingDown(logger, backlog, error);
        else
            OutboxLog.PublishingStillDown(logger, now - (status.FailingSince ?? now), backlog, error);
    }

    /// <summary>Waits on the leadership session, so a dead session is noticed here; a NOTIFY ends the wait early when asked.</summary>
    private async Task WaitAsync(NpgsqlConnection session, TimeSpan duration, bool wakeOnNotify, CancellationToken ct)
    {
        var deadline = time.GetUtcNow() + duration;
        while (true)
        {
            var left = deadline - time.GetUtcNow();
            if (left <= TimeSpan.Zero)
                return;
            // Npgsql takes whole milliseconds and reads 0 as "no timeout": never pass less than 1.
            var notified = await session.WaitAsync((int)Math.Ceiling(left.TotalMilliseconds), ct);
            if (notified && wakeOnNotify)
                return;
        }
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, time, ct);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private sealed record BatchOutcome(int Published, bool Full, string? Error, bool BrokeProducer)
    {
        public static BatchOutcome Idle { get; } = new(0, false, null, false);

        public static BatchOutcome Failure(string error, bool brokeProducer) => new(0, false, error, brokeProducer);
    }
}
