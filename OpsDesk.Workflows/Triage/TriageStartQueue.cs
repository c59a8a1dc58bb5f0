using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpsDesk.Workflows.Telemetry;

namespace OpsDesk.Workflows.Triage;

/// <summary>
/// Starts the triage of committed tickets off the create request's critical path: the endpoint
/// enqueues after commit and answers, and this service drains a bounded queue with several starts in
/// flight at once. What it cannot start — Temporal down, the queue full, the process gone between
/// commit and start — stays <c>queued</c> in the database and the worker's reconciler starts it.
/// </summary>
public sealed partial class TriageStartQueue : BackgroundService
{
    private readonly Channel<(long TicketId, string Source, ActivityContext Trace)> channel;
    private readonly ITriageStarter starter;
    private readonly TriageOptions options;
    private readonly ILogger<TriageStartQueue> logger;
    private long accepted;
    private long dropped;
    private int fullLogged;

    public TriageStartQueue(ITriageStarter starter, IOptions<TriageOptions> options, ILogger<TriageStartQueue> logger)
    {
        this.starter = starter;
        this.options = options.Value;
        this.logger = logger;
        channel = Channel.CreateBounded<(long, string, ActivityContext)>(new BoundedChannelOptions(this.options.StartQueueCapacity)
        {
            // Wait: TryWrite then answers false when full (the Drop modes answer true and drop silently).
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false,
            SingleWriter = false,
        });
    }

    /// <summary>Tickets handed to the queue since start.</summary>
    public long Accepted => Interlocked.Read(ref accepted);

    /// <summary>Tickets waiting for their start now.</summary>
    public int Waiting => channel.Reader.Count;

    /// <summary>How many tickets may wait (<c>Triage:StartQueueCapacity</c>).</summary>
    public int Capacity => options.StartQueueCapacity;

    /// <summary>Tickets the full queue left to the reconciler.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    /// <summary>
    /// Queues the start; false (never blocks, never throws) when the queue is full or stopped — the
    /// reconciler then starts it. The caller's trace context goes along, so the start joins its trace.
    /// </summary>
    public bool TryEnqueue(long ticketId, string source)
    {
        if (channel.Writer.TryWrite((ticketId, source, Activity.Current?.Context ?? default)))
        {
            Interlocked.Increment(ref accepted);
            return true;
        }

        Interlocked.Increment(ref dropped);
        if (Interlocked.Exchange(ref fullLogged, 1) == 0)
            LogFull(logger, options.StartQueueCapacity, ticketId);
        return false;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // On stop, take no more and give what is queued a moment to go out; the rest is the reconciler's.
        using var drained = new CancellationTokenSource();
        await using var onStop = stoppingToken.Register(() =>
        {
            channel.Writer.TryComplete();
            drained.CancelAfter(TimeSpan.FromSeconds(options.StartQueueDrainSeconds));
        });
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.StartConcurrency, CancellationToken = drained.Token };
        try
        {
            await Parallel.ForEachAsync(channel.Reader.ReadAllAsync(drained.Token), parallel, async (item, ct) =>
            {
                // The start's client span joins the request's trace directly (no span of the queue's own:
                // one per create less to record and export; the wait shows as the gap before it).
                await OpsDeskTelemetry.ContinueTraceAsync(item.Trace, () => starter.TryStartAsync(item.TicketId, item.Source, ct));

                // Log "full" again only after the queue has recovered, not on every start that frees a slot.
                if (channel.Reader.Count < options.StartQueueCapacity / 2)
                    Interlocked.Exchange(ref fullLogged, 0);
            });
        }
        catch (OperationCanceledException) when (drained.IsCancellationRequested)
        {
            LogLeftToReconciler(logger, channel.Reader.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Triage start queue full ({Capacity}); ticket {TicketId} and others are left to the reconciler")]
    private static partial void LogFull(ILogger logger, int capacity, long ticketId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping with {Count} triage start(s) queued; the reconciler starts them")]
    private static partial void LogLeftToReconciler(ILogger logger, int count);
}
