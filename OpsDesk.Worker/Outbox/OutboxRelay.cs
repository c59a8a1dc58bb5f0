using System.Collections.Concurrent;
using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Npgsql;
using OpsDesk.Db.Outbox;
using OpsDesk.Db.Resilience;

namespace OpsDesk.Worker.Outbox;

/// <summary>
/// Publishes <c>ticket_events</c> to Kafka, oldest first, and sets <c>published_at</c> once the broker
/// acknowledged them. One relay per database is active (a session advisory lock); the others wait
/// as standbys. Every batch is fenced: registered on the lock session under the leader's epoch
/// before it is produced and marked under that epoch, and a new leader waits for its predecessor's
/// last batch, so two relays never publish the same events. Per ticket, nothing is produced or
/// marked after an event of that ticket failed in the batch; poison events are parked
/// (<c>outbox_parked</c>) and their tickets' later events wait behind them. Wakes on NOTIFY
/// ticket_events, with <see cref="KafkaOptions.PollInterval"/> as the fallback. A crash between the
/// acknowledgement and the UPDATE re-sends at most that one batch; consumers drop such repeats by
/// CloudEvent id.
/// </summary>
public sealed class OutboxRelay : BackgroundService
{
    /// <summary>How soon to look again when a checkpoint waits for an open writer (usually a commit in flight).</summary>
    private static readonly TimeSpan SettleRecheck = TimeSpan.FromMilliseconds(20);

    /// <summary>After the stop signal, how long a batch in flight may still collect delivery reports.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan OutageLogEvery = TimeSpan.FromMinutes(1);

    /// <summary>How long a registered batch keeps a successor waiting without being renewed (a relay that died mid-batch).</summary>
    private static readonly TimeSpan BatchLease = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan LeaseRenewEvery = TimeSpan.FromSeconds(1);

    /// <summary>How often a new leader looks again whether its predecessor's last batch has ended.</summary>
    private static readonly TimeSpan PredecessorRecheck = TimeSpan.FromMilliseconds(50);

    /// <summary>While librdkafka's queue is full, how soon to try again if no report arrived.</summary>
    private static readonly TimeSpan QueueFullRecheck = TimeSpan.FromMilliseconds(20);

    /// <summary>Past message.timeout.ms, how long reports may still take (a request in flight runs to its own timeout).</summary>
    private static readonly TimeSpan ReportSlack = TimeSpan.FromSeconds(30);

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
    /// Test seam: runs with the events produced when every delivery report of a batch has arrived,
    /// before <c>published_at</c> is set. A hook that waits until the relay is stopped simulates a
    /// crash at exactly that point.
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
        var retry = new Backoff(options.RetryBackoff, options.MaxRetryBackoff);
        var standbyLogged = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var session = await store.TryTakeLeadershipAsync(stoppingToken);
                retry.Reset();
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
                await LeadAsync(session, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (DbErrors.IsDatabaseFailure(ex) || ex is IOException)
            {
                // The leadership session or the database is gone: whatever we held is released. Start over.
                status.SetRole(RelayRole.Starting);
                var wait = retry.Next();
                var now = time.GetUtcNow();
                if (status.RecordFailure("database: " + ex.Message, now) || now - lastOutageLog >= OutageLogEvery)
                {
                    lastOutageLog = now;
                    OutboxLog.DatabaseTrouble(logger, ex, wait);
                }

                if (!await DelayAsync(wait, stoppingToken))
                    break;
            }
        }
    }

    private async Task LeadAsync(NpgsqlConnection session, CancellationToken ct)
    {
        // NOTIFYs that arrive while a statement runs on the session are raised as events, not by
        // WaitAsync: remember them so a wake-up is never lost.
        var notified = 0;
        session.Notification += (_, _) => Volatile.Write(ref notified, 1);
        var epoch = await BeginEpochAsync(session, ct);
        status.SetRole(RelayRole.Leader);
        OutboxLog.BecameLeader(logger, options.BootstrapServers!, epoch);

        IProducer<string, byte[]>? producer = null;
        try
        {
            var horizon = new PublishHorizon();
            var backoff = new Backoff(options.RetryBackoff, options.MaxRetryBackoff);
            provisioned.Clear();
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                Volatile.Write(ref notified, 0);
                BatchOutcome outcome;
                try
                {
                    producer ??= BuildProducer();
                    outcome = await PublishBatchAsync(session, epoch, producer, horizon, ct);
                }
                catch (Exception ex) when (ex is ArgumentException or InvalidOperationException && producer is null)
                {
                    // Kafka:Producer:* is checked at start-up (KafkaOptionsValidator); this is the last line of defence.
                    OutboxLog.ProducerConfigInvalid(logger, ex.Message);
                    outcome = BatchOutcome.Failure("producer configuration: " + ex.Message, brokeProducer: false);
                }

                status.CycleDone();
                if (outcome.Fenced)
                {
                    OutboxLog.LeadershipLost(logger, epoch);
                    return;
                }

                if (outcome.Parked > 0)
                    status.RecordParked(outcome.Parked);
                if (outcome.Error is { } error && outcome.Published == 0 && outcome.Parked == 0)
                {
                    if (outcome.BrokeProducer)
                    {
                        OutboxLog.ProducerFatal(logger, error);
                        producer?.Dispose();
                        producer = null;
                    }

                    await ReportFailureAsync(error, ct);
                    await WaitAsync(session, backoff.Next(), wakeOnNotify: false, ct);
                    continue;
                }

                // Progress (events went out or were parked): no backoff, even when others in the batch
                // failed; those stay at the head of their tickets for the next round.
                if (outcome.Error is { } partial)
                    OutboxLog.PartialFailure(logger, partial);
                backoff.Reset();
                if (status.RecordSuccess(outcome.Published, time.GetUtcNow()) is { } downFor)
                    OutboxLog.PublishingRecovered(logger, downFor);
                if (outcome.Full || Volatile.Read(ref notified) == 1)
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

    /// <summary>
    /// Starts this leader's fencing epoch, first waiting out a predecessor's batch that may still be
    /// in flight (its relay lost the lock, not its process): that batch is marked by its own relay, or
    /// given up when its registration lapses, never sent by both.
    /// </summary>
    private async Task<long> BeginEpochAsync(NpgsqlConnection session, CancellationToken ct)
    {
        var holder = $"{Environment.MachineName}/{Environment.ProcessId}";
        var logged = false;
        while (true)
        {
            if (await OutboxStore.TryBeginEpochAsync(session, holder, ct) is { } epoch)
                return epoch;
            if (!logged)
                OutboxLog.WaitingForPredecessor(logger);
            logged = true;
            await WaitAsync(session, PredecessorRecheck, wakeOnNotify: false, ct);
        }
    }

    private async Task<BatchOutcome> PublishBatchAsync(NpgsqlConnection session, long epoch, IProducer<string, byte[]> producer, PublishHorizon horizon, CancellationToken ct)
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

        // Proof of leadership before anything is produced: on the lock session, under the epoch.
        if (!await OutboxStore.OpenBatchAsync(session, epoch, BatchLease, ct))
            return BatchOutcome.FencedOff;
        var closed = false;
        try
        {
            var deadline = time.GetUtcNow() + TimeSpan.FromMilliseconds(options.MessageTimeoutMs) + ReportSlack;
            var reports = await ProduceAsync(producer, batch, deadline, ct);
            if (await AwaitReportsAsync(reports, epoch, deadline, ct) is { } unfinished)
                return unfinished;

            // Per ticket only what precedes its first failure counts: a later event of a ticket is
            // never marked (nor parked) while an earlier one of this batch did not go out; the next
            // round starts that ticket again at the failed event.
            var stopped = new HashSet<long>();
            var published = new List<long>(batch.Count);
            var parked = new List<ParkedEvent>();
            var produced = new List<OutboxEvent>(batch.Count);
            Error? firstError = null;
            for (var i = 0; i < batch.Count; i++)
            {
                var e = batch[i];
                if (reports[i] is not { } report)
                    continue;
                produced.Add(e);
                if (stopped.Contains(e.TicketId))
                    continue;
                var error = report.Result;
                if (!error.IsError)
                {
                    published.Add(e.Id);
                    continue;
                }

                stopped.Add(e.TicketId);
                if (IsPoison(error))
                {
                    parked.Add(new ParkedEvent(e.Id, e.TicketId, $"{error.Code}: {error.Reason}"));
                    OutboxLog.EventParked(logger, e.Id, e.TicketId, error.Code.ToString(), error.Reason);
                }
                else
                {
                    firstError ??= error;
                }
            }

            if (AfterDelivery is { } hook)
                await hook(produced, ct);

            // Not cancelled by the stop signal: the broker has these, so record that if at all possible.
            if (!await store.CloseBatchAsync(epoch, published, parked, CancellationToken.None))
                return BatchOutcome.FencedOff;
            closed = true;
            if (published.Count > 0)
                OutboxLog.BatchPublished(logger, published.Count, published[^1]);
            return new BatchOutcome(
                published.Count,
                parked.Count,
                Full: batch.Count == options.BatchSize,
                Error: firstError is null ? null : $"{firstError.Code}: {firstError.Reason}",
                BrokeProducer: firstError?.IsFatal == true,
                Fenced: false);
        }
        finally
        {
            if (!closed)
                await ReleaseBatchAsync(epoch);
        }
    }

    /// <summary>
    /// Hands the batch to librdkafka in id order. Same key → same partition, and the idempotent
    /// producer keeps the order of what it accepted per partition; so once an event of a ticket has
    /// failed (refused here, or reported failed already), nothing later of that ticket is produced
    /// in this batch: it could otherwise land on Kafka ahead of the failed one. Such events get no
    /// report (null). A full local queue is back-pressure, not a failure: wait for room and retry.
    /// </summary>
    private async Task<Task<Error>?[]> ProduceAsync(IProducer<string, byte[]> producer, IReadOnlyList<OutboxEvent> batch, DateTimeOffset deadline, CancellationToken ct)
    {
        var reports = new Task<Error>?[batch.Count];
        var failed = new ConcurrentDictionary<long, bool>();
        var oldest = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            var e = batch[i];
            if (failed.ContainsKey(e.TicketId))
                continue;
            var report = new TaskCompletionSource<Error>(TaskCreationOptions.RunContinuationsAsynchronously);
            var message = CloudEventMessage.Create(e);
            var topic = options.TopicFor(e.Type);
            var span = PublishSpan.Start(e, topic);
            _ = report.Task.ContinueWith((t, state) => PublishSpan.End((Activity?)state, t.Result), span, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            while (true)
            {
                try
                {
                    producer.Produce(topic, message, r =>
                    {
                        if (r.Error.IsError)
                            failed.TryAdd(e.TicketId, true);
                        report.TrySetResult(r.Error);
                    });
                    break;
                }
                catch (ProduceException<string, byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull && time.GetUtcNow() < deadline)
                {
                    // queue.buffering.max.messages/kbytes reached: this batch's oldest outstanding report frees room.
                    while (oldest < i && reports[oldest] is not { IsCompleted: false })
                        oldest++;
                    var room = oldest < i ? reports[oldest]! : Task.CompletedTask;
                    await Task.WhenAny(room, Task.Delay(QueueFullRecheck, time, ct));
                    ct.ThrowIfCancellationRequested();
                }
                catch (ProduceException<string, byte[]> ex)
                {
                    failed.TryAdd(e.TicketId, true);
                    report.TrySetResult(ex.Error);
                    break;
                }
                catch (KafkaException ex)
                {
                    failed.TryAdd(e.TicketId, true);
                    report.TrySetResult(ex.Error);
                    break;
                }
            }

            reports[i] = report.Task;
        }

        return reports;
    }

    /// <summary>
    /// Waits for every delivery report (each arrives within message.timeout.ms), keeping the batch's
    /// registration alive meanwhile so a successor keeps waiting for it. Null when all arrived.
    /// </summary>
    private async Task<BatchOutcome?> AwaitReportsAsync(Task<Error>?[] reports, long epoch, DateTimeOffset deadline, CancellationToken ct)
    {
        var all = Task.WhenAll(reports.OfType<Task<Error>>());
        // On stop, allow a short grace before giving up.
        using var grace = new CancellationTokenSource();
        await using var stopping = ct.Register(() => grace.CancelAfter(StopGrace));
        while (!all.IsCompleted)
        {
            var left = deadline - time.GetUtcNow();
            if (left <= TimeSpan.Zero)
                return BatchOutcome.Failure("delivery reports did not arrive in time", brokeProducer: true);
            try
            {
                await all.WaitAsync(Min(left, LeaseRenewEvery), time, grace.Token);
            }
            catch (TimeoutException)
            {
                // Renew below and keep waiting.
            }
            catch (OperationCanceledException) when (grace.IsCancellationRequested)
            {
                throw new OperationCanceledException(ct);
            }

            if (!all.IsCompleted && !await ExtendBatchAsync(epoch))
                return BatchOutcome.FencedOff;
        }

        return null;
    }

    /// <summary>
    /// Events the broker will never take as they are (too large, refused as invalid): retrying them
    /// cannot succeed, so they are parked rather than holding back the relay.
    /// </summary>
    internal static bool IsPoison(Error error) => error.Code is
        ErrorCode.MsgSizeTooLarge or ErrorCode.RecordListTooLarge or ErrorCode.InvalidRecord or ErrorCode.InvalidMsgSize or ErrorCode.Local_BadMsg;

    private async Task<bool> ExtendBatchAsync(long epoch)
    {
        try
        {
            return await store.ExtendBatchAsync(epoch, BatchLease, CancellationToken.None);
        }
        catch (Exception ex) when (DbErrors.IsDatabaseFailure(ex))
        {
            // Cannot tell; the registration may lapse, and then closing the batch is refused.
            return true;
        }
    }

    private async Task ReleaseBatchAsync(long epoch)
    {
        try
        {
            await store.ReleaseBatchAsync(epoch, CancellationToken.None);
        }
        catch (Exception ex) when (DbErrors.IsDatabaseFailure(ex))
        {
            // The registration lapses on its own after BatchLease.
        }
    }

    private IProducer<string, byte[]> BuildProducer() =>
        new ProducerBuilder<string, byte[]>(RelayProducerConfig.Create(options))
            // librdkafka's own connection chatter goes to debug; the relay logs outages itself, rate-limited.
            .SetLogHandler((_, m) => OutboxLog.Librdkafka(logger, m.Facility, m.Message))
            .SetErrorHandler((_, e) => OutboxLog.Librdkafka(logger, "error", e.Reason))
            .Build();

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

    private sealed record BatchOutcome(int Published, int Parked, bool Full, string? Error, bool BrokeProducer, bool Fenced)
    {
        public static BatchOutcome Idle { get; } = new(0, 0, false, null, false, false);

        /// <summary>Another relay holds the lock and has begun its epoch: step down.</summary>
        public static BatchOutcome FencedOff { get; } = new(0, 0, false, null, false, true);

        public static BatchOutcome Failure(string error, bool brokeProducer) => new(0, 0, false, error, brokeProducer, false);
    }
}
