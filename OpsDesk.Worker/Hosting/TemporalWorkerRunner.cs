using Microsoft.Extensions.Options;
using OpsDesk.Db.Resilience;
using OpsDesk.Workflows.Temporal;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.OperatorService.V1;
using Temporalio.Client;
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
                    await EnsureSearchAttributesAsync(client, o.Namespace, stoppingToken);

                var options = (TemporalWorkerOptions)workerOptions.Get(registration.OptionsName).Clone();
                options.TaskQueue = o.TaskQueue;
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

    /// <summary>Registers the OpsDesk search attributes that the namespace lacks (development servers).</summary>
    internal static async Task EnsureSearchAttributesAsync(ITemporalClient client, string @namespace, CancellationToken ct)
    {
        var rpc = new RpcOptions { CancellationToken = ct };
        var existing = await client.Connection.OperatorService.ListSearchAttributesAsync(new ListSearchAttributesRequest { Namespace = @namespace }, rpc);
        var request = new AddSearchAttributesRequest { Namespace = @namespace };
        foreach (var key in OpsDeskSearchAttributes.All)
        {
            if (!existing.CustomAttributes.ContainsKey(key.Name))
                request.SearchAttributes[key.Name] = key.ValueType;
        }

        if (request.SearchAttributes.Count > 0)
            await client.Connection.OperatorService.AddSearchAttributesAsync(request, rpc);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Temporal worker polling task queue {TaskQueue} at {Address} (attempt {Attempt})")]
    private static partial void LogRunning(ILogger logger, string taskQueue, string address, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Temporal worker attempt {Attempt} to {Address} failed ({Kind}: {Reason}); retrying in {DelaySeconds} s")]
    private static partial void LogAttemptFailed(ILogger logger, int attempt, string address, string kind, string reason, double delaySeconds);
}
