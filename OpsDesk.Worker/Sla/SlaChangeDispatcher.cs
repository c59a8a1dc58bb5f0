using Microsoft.Extensions.Options;
using Npgsql;
using OpsDesk.Db.Events;
using OpsDesk.Db.Resilience;
using OpsDesk.Db.Sla;
using OpsDesk.Workflows.Sla;
using OpsDesk.Workflows.Temporal;

namespace OpsDesk.Worker.Sla;

/// <summary>
/// Delivers agents' status and priority changes, and each ticket's first public agent reply, from the
/// timeline to the SLA workflows, at least once: it reads changes not yet in <c>processed_events</c> for consumer <c>sla-dispatcher</c> in id
/// order, signals <c>sla-{id}</c>, and records each change only after its signal succeeded (or when
/// no workflow runs for the ticket). Woken by NOTIFY on <c>ticket_events</c>, polling as a fallback;
/// while Temporal is unreachable it backs off and leaves the changes for the next round.
/// </summary>
public sealed partial class SlaChangeDispatcher(
    SlaChangeFeed feed,
    ISlaSignaler signaler,
    NpgsqlDataSource dataSource,
    IOptions<SlaOptions> options,
    ILogger<SlaChangeDispatcher> logger) : BackgroundService
{
    /// <summary>One round: reads a batch and delivers it in order, stopping at the first Temporal failure.</summary>
    public async Task<SlaDispatchRound> RunOnceAsync(CancellationToken ct)
    {
        var batch = await feed.ListUndeliveredAsync(options.Value.DispatchBatchSize, SlaChangeFeed.Consumer, ct);
        int delivered = 0, noWorkflow = 0;
        foreach (var e in batch)
        {
            var kind = SlaChangeKinds.FromEventType(e.Type);
            if (kind == SlaChangeKinds.Reply && e.Value is null)
            {
                // A later public reply: the first response was the first one; nothing to tell the clock.
                await feed.MarkProcessedAsync(e.Id, SlaChangeFeed.Consumer, ct);
                continue;
            }

            if (kind is null || string.IsNullOrEmpty(e.Value))
            {
                // Nothing a clock can use; record it so it is not read forever.
                LogMalformed(logger, e.Id, e.TicketId, e.Type);
                await feed.MarkProcessedAsync(e.Id, SlaChangeFeed.Consumer, ct);
                continue;
            }

            SlaSignalResult result;
            try
            {
                result = await signaler.SignalAsync(e.TicketId, new SlaChange(e.Id, kind, e.Value), ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && (TemporalErrors.IsTemporalFailure(ex) || ex is OperationCanceledException))
            {
                // Temporal down or slow: keep this change (and, to keep per-ticket order, the rest) for later.
                LogSignalFailed(logger, e.Id, e.TicketId, ex.GetType().Name, ex.Message);
                return new SlaDispatchRound(delivered, noWorkflow, batch.Count, Failed: true);
            }

            if (result == SlaSignalResult.NoWorkflow)
            {
                noWorkflow++;
                LogNoWorkflow(logger, e.Id, e.TicketId, kind, e.Value);
            }
            else
            {
                delivered++;
            }

            await feed.MarkProcessedAsync(e.Id, SlaChangeFeed.Consumer, ct);
        }

        return new SlaDispatchRound(delivered, noWorkflow, batch.Count, Failed: false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var poll = TimeSpan.FromSeconds(o.DispatchEverySeconds);
        var backoff = new Backoff(TimeSpan.FromSeconds(Math.Min(1, o.DispatchMaxBackoffSeconds)), TimeSpan.FromSeconds(o.DispatchMaxBackoffSeconds));
        NpgsqlConnection? listener = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                listener ??= await TryListenAsync(stoppingToken);

                SlaDispatchRound round;
                try
                {
                    round = await RunOnceAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested && DbErrors.IsTransient(ex))
                {
                    // Database down: log, back off, try again; the changes stay in the timeline until a
                    // round gets them through. Anything else is a bug: it stops the host (non-zero exit).
                    LogRoundFailed(logger, ex.GetType().Name, ex.Message);
                    round = new SlaDispatchRound(0, 0, 0, Failed: true);
                }

                if (round.Failed)
                {
                    await backoff.DelayAsync(stoppingToken);
                    continue;
                }

                backoff.Reset();
                if (round.Read >= o.DispatchBatchSize)
                    continue;

                if (listener is null)
                {
                    await Task.Delay(poll, stoppingToken);
                    continue;
                }

                try
                {
                    // Any insert into the timeline notifies; a timeout is the polling fallback.
                    await listener.WaitAsync(poll, stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested && DbErrors.IsTransient(ex))
                {
                    LogListenLost(logger, ex.Message);
                    await listener.DisposeAsync();
                    listener = null;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            if (listener is not null)
                await listener.DisposeAsync();
        }
    }

    private async Task<NpgsqlConnection?> TryListenAsync(CancellationToken ct)
    {
        NpgsqlConnection? conn = null;
        try
        {
            conn = await dataSource.OpenConnectionAsync(ct);
            await using (var cmd = new NpgsqlCommand($"LISTEN {TicketEventWriter.Channel}", conn))
                await cmd.ExecuteNonQueryAsync(ct);
            return conn;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && DbErrors.IsTransient(ex))
        {
            LogListenLost(logger, ex.Message);
            if (conn is not null)
                await conn.DisposeAsync();
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SLA change {EventId} of ticket {TicketId} ({Kind}={Value}) has no running SLA workflow; recorded as processed (a clock that starts later reads the current state)")]
    private static partial void LogNoWorkflow(ILogger logger, long eventId, long ticketId, string kind, string value);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SLA change {EventId} of ticket {TicketId} not delivered ({Kind}: {Reason}); retrying next round")]
    private static partial void LogSignalFailed(ILogger logger, long eventId, long ticketId, string kind, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} of ticket {TicketId} ({Type}) carries no new value; skipped")]
    private static partial void LogMalformed(ILogger logger, long eventId, long ticketId, string type);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SLA dispatcher round failed ({Kind}: {Reason}); backing off")]
    private static partial void LogRoundFailed(ILogger logger, string kind, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SLA dispatcher cannot LISTEN ({Reason}); polling instead")]
    private static partial void LogListenLost(ILogger logger, string reason);
}
