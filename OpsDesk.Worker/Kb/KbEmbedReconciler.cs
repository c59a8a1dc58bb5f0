using Microsoft.Extensions.Options;
using OpsDesk.Db.Kb;
using OpsDesk.Workflows;
using OpsDesk.Workflows.Kb;
using OpsDesk.Workflows.Temporal;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace OpsDesk.Worker.Kb;

/// <summary>
/// Finds articles whose current version has no vectors for the configured model — written through the
/// API, imported by the CLI, or embedded with another model before — and starts
/// <c>kb-embed-{id}-v{version}</c> for each. Starts are idempotent by workflow id, so every replica may run it.
/// </summary>
public sealed partial class KbEmbedReconciler(
    KbRepository articles,
    IEmbeddingService embeddings,
    TemporalClientProvider clients,
    IOptions<TemporalOptions> temporal,
    IOptions<KbOptions> options,
    ILogger<KbEmbedReconciler> logger) : BackgroundService
{
    public const int BatchSize = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.EmbedEverySeconds));
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
            catch (Exception ex) when (Db.Resilience.DbErrors.IsTransient(ex) || TemporalErrors.IsTemporalFailure(ex))
            {
                LogFailed(logger, ex.GetType().Name, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>One pass: the number of embedding workflows started (or found running).</summary>
    public async Task<int> ReconcileOnceAsync(CancellationToken ct)
    {
        var stale = await articles.ListStaleAsync(embeddings.Model, BatchSize, ct);
        if (stale.Count == 0)
            return 0;
        var client = await clients.GetAsync(ct);
        var started = 0;
        foreach (var article in stale)
        {
            try
            {
                await client.StartWorkflowAsync(
                    (KbEmbedWorkflow wf) => wf.RunAsync(new KbEmbedInput(article.Id, article.Version)),
                    new WorkflowOptions(WorkflowIds.KbEmbed(article.Id, article.Version), temporal.Value.TaskQueue)
                    {
                        // A running embedding is reused; a finished one may run again (e.g. after a model change).
                        IdConflictPolicy = WorkflowIdConflictPolicy.UseExisting,
                        IdReusePolicy = WorkflowIdReusePolicy.AllowDuplicate,
                        StaticSummary = $"Embed article #{article.Id} v{article.Version} ({embeddings.Model})",
                        Rpc = new RpcOptions { CancellationToken = ct },
                    });
            }
            catch (WorkflowAlreadyStartedException)
            {
                // Running under another policy: fine.
            }

            started++;
        }

        LogPass(logger, stale.Count, embeddings.Model);
        return started;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Knowledge base: {Count} article version(s) without {Model} vectors; embedding started")]
    private static partial void LogPass(ILogger logger, int count, string model);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Knowledge-base embedding pass failed ({Kind}: {Reason})")]
    private static partial void LogFailed(ILogger logger, string kind, string reason);
}
