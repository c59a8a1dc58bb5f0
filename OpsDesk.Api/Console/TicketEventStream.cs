using System.Threading.Channels;
using Npgsql;
using OpsDesk.Db.Events;
using OpsDesk.Db.Resilience;

namespace OpsDesk.Api.Console;

/// <summary>
/// Live updates for open console pages: one LISTEN session per API process (started by the first
/// subscriber) reads each new timeline row's id, ticket and type and hands it to every subscriber;
/// <c>GET /console/live</c> streams them as Server-Sent Events. A poll every few seconds covers a
/// notification missed while the session reconnected.
/// </summary>
public sealed partial class TicketEventStream(TicketEventFeed feed, ILogger<TicketEventStream> logger, IHostApplicationLifetime lifetime)
{
    public const string Path = "/console/live";
    private static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(5);

    private readonly Lock gate = new();
    private readonly List<Channel<TicketEventSignal>> subscribers = [];
    private Task? loop;

    /// <summary>A channel receiving every new timeline row until <paramref name="ct"/> fires.</summary>
    public ChannelReader<TicketEventSignal> Subscribe(CancellationToken ct)
    {
        var channel = Channel.CreateBounded<TicketEventSignal>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (gate)
        {
            subscribers.Add(channel);
            loop ??= Task.Run(() => RunAsync(lifetime.ApplicationStopping), CancellationToken.None);
        }

        ct.Register(() =>
        {
            lock (gate)
                subscribers.Remove(channel);
            channel.Writer.TryComplete();
        });
        return channel.Reader;
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        long last = -1;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var conn = await feed.ListenAsync(ct);
                var woken = 0;
                conn.Notification += (_, _) => Interlocked.Exchange(ref woken, 1);
                if (last < 0)
                    last = await feed.LastIdAsync(ct);
                backoff.Reset();
                while (!ct.IsCancellationRequested)
                {
                    last = await PublishAfterAsync(last, ct);
                    if (Interlocked.Exchange(ref woken, 0) == 0)
                        await conn.WaitAsync(PollEvery, ct);
                    Interlocked.Exchange(ref woken, 0);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                LogListenFailed(logger, ex);
                try
                {
                    await backoff.DelayAsync(ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task<long> PublishAfterAsync(long last, CancellationToken ct)
    {
        while (true)
        {
            var rows = await feed.ReadAfterAsync(last, 500, ct);
            if (rows.Count == 0)
                return last;
            lock (gate)
            {
                foreach (var row in rows)
                    foreach (var s in subscribers)
                        s.Writer.TryWrite(row);
            }

            last = rows[^1].Id;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live console stream: listening on ticket_events failed; retrying")]
    private static partial void LogListenFailed(ILogger logger, Exception ex);
}
