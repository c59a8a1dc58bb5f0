using Microsoft.Extensions.Options;
using OpsDesk.Db.Triage;
using OpsDesk.Workflows.Telemetry;
using OpsDesk.Workflows.Triage;

namespace OpsDesk.Worker.Triage;

/// <summary>
/// Starts the triage of tickets left <c>queued</c> — created while Temporal was down, or with
/// <c>Triage:StartOnCreate=false</c>. Starts are idempotent (workflow id + conflict policy), so
/// running it on every worker replica is safe.
/// </summary>
public sealed partial class TriageReconciler(
    TriageRepository tickets,
    ITriageStarter starter,
    IOptions<TriageOptions> options,
    ILogger<TriageReconciler> logger) : BackgroundService
{
    public const int BatchSize = 200;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(o.ReconcileEverySeconds));
        do
        {
            try
            {
                await ReconcileOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (Db.Resilience.DbErrors.IsTransient(ex))
            {
                LogFailed(logger, ex.GetType().Name, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>One pass: returns how many tickets it started and how many it could not.</summary>
    public async Task<(int Started, int Failed)> ReconcileOnceAsync(CancellationToken ct)
    {
        var queued = await tickets.ListQueuedAsync(TimeSpan.FromSeconds(options.Value.ReconcileAfterSeconds), BatchSize, ct);
        int started = 0, failed = 0;
        foreach (var (id, source) in queued)
        {
            if (await starter.TryStartAsync(id, source, ct))
            {
                started++;
                OpsDeskMetrics.ReconcilerStarted();
            }
            else
            {
                failed++;
                // Temporal is not answering: the rest of the batch would only wait out the same timeout.
                break;
            }
        }

        if (queued.Count > 0)
            LogPass(logger, queued.Count, started, failed);
        return (started, failed);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciler: {Queued} queued ticket(s), started {Started}, could not start {Failed}")]
    private static partial void LogPass(ILogger logger, int queued, int started, int failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciler pass failed ({Kind}: {Reason})")]
    private static partial void LogFailed(ILogger logger, string kind, string reason);
}
