using Microsoft.Extensions.Options;
using OpsDesk.Db.Resilience;
using OpsDesk.Workflows.Temporal;
using Temporalio.Client;
using Temporalio.Exceptions;
using Temporalio.Extensions.Hosting;
using Temporalio.Worker;

namespace OpsDesk.Worker.Hosting;

/// <summary>
/// Runs the Temporal worker and keeps it running: if Temporal is unreachable at start, or the worker
/// stops with an error, it retries with capped exponential backoff instead of stopping the host
/// (which is what the hosting extension's own worker service does).
/// </summary>
public sealed partial class TemporalWorkerRunner(
    TemporalClientProvider clients,
    IOptionsMonitor<TemporalWorkerServiceOptions> workerOptions,
    TemporalWorkerRegistration registration,
    IOptions<TemporalOptions> temporal,
    IHostEnvironment environment,
    WorkerStatus status,
    ILogger<TemporalWorkerRunner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = temporal.Value;
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                var client = await clients.GetAsync(stoppingToken);
                if (o.RegisterSearchAttributes ?? environment.IsDevelopment())
                    await RegisterSearchAttributesAsync(client, o.Namespace, stoppingToken);

                var options = (TemporalWorkerOptions)workerOptions.Get(registration.OptionsName).Clone();
                options.TaskQueue = o.TaskQueue;
                if (o.MaxCachedWorkflows is { } cached)
                    options.MaxCachedWorkflows = cached;
                using var worker = new TemporalWorker(client, options);
                status.TemporalConnected = true;
                LogRunning(logger, o.TaskQueue, o.Address, attempt);
                backoff.Reset();
                await worker.ExecuteAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                status.TemporalConnected = false;
                var delay = backoff.Next();
                LogAttemptFailed(logger, attempt, o.Address, ex.GetType().Name, ex.Message, delay.TotalSeconds);
                try
                {
                    await Task.Delay(delay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        status.TemporalConnected = false;
    }

    /// <summary>
    /// Registers the search attributes (development servers). A failure is reported — in the log and in
    /// readiness — and never keeps the worker from polling: workflows that upsert an unregistered
    /// attribute fail their tasks visibly in Temporal, which says more than a worker that never starts.
    /// </summary>
    private async Task RegisterSearchAttributesAsync(ITemporalClient client, string @namespace, CancellationToken ct)
    {
        try
        {
            var added = await SearchAttributeRegistration.EnsureAsync(client, @namespace, ct);
            status.SearchAttributesProblem = null;
            LogSearchAttributesRegistered(logger, @namespace, added);
        }
        catch (RpcException ex)
        {
            status.SearchAttributesProblem = $"search attribute registration on namespace {@namespace} failed ({ex.Code}: {ex.Message})";
            LogSearchAttributesFailed(logger, @namespace, ex.Code.ToString(), ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Temporal worker polling task queue {TaskQueue} at {Address} (attempt {Attempt})")]
    private static partial void LogRunning(ILogger logger, string taskQueue, string address, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Search attributes on namespace {Namespace} registered ({Added} new)")]
    private static partial void LogSearchAttributesRegistered(ILogger logger, string @namespace, int added);

    [LoggerMessage(Level = LogLevel.Error, Message = "Search attribute registration on namespace {Namespace} failed ({Code}: {Reason}); polling anyway, register them with the Temporal CLI")]
    private static partial void LogSearchAttributesFailed(ILogger logger, string @namespace, string code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Temporal worker attempt {Attempt} to {Address} failed ({Kind}: {Reason}); retrying in {DelaySeconds} s")]
    private static partial void LogAttemptFailed(ILogger logger, int attempt, string address, string kind, string reason, double delaySeconds);
}
