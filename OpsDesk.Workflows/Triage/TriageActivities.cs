using System.Text.Json;
using Microsoft.Extensions.Logging;
using OpsDesk.Db.Kb;
using OpsDesk.Db.Tickets;
using OpsDesk.Db.Triage;
using OpsDesk.Workflows.Kb;
using OpsDesk.Workflows.Telemetry;
using OpsDesk.Workflows.Triage.Classifiers;
using Temporalio.Activities;
using Temporalio.Exceptions;

namespace OpsDesk.Workflows.Triage;

/// <summary>The triage's I/O. Each activity is idempotent: running it twice leaves the same rows.</summary>
public sealed partial class TriageActivities(
    TriageRepository triage, ITicketClassifier classifier, ILogger<TriageActivities> logger, KbRetriever? retriever = null, KbRepository? articles = null)
{
    /// <summary>Web JSON for the citations column.</summary>
    private static readonly JsonSerializerOptions CitationJson = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The knowledge-base articles relevant to the ticket (hybrid retrieval, public and internal), best first;
    /// empty when nothing is similar enough or no retriever is configured. Titles and slugs only: no ticket text.
    /// </summary>
    [Activity]
    public async Task<IReadOnlyList<KbCitation>> RetrieveArticlesAsync(long ticketId)
    {
        var ct = ActivityExecutionContext.Current.CancellationToken;
        var ticket = await triage.GetAsync(ticketId, ct) ?? throw TicketNotFound.Failure(ticketId);
        if (retriever is null)
            return [];
        var hits = await retriever.RelevantAsync(ticket.Subject + "\n" + ticket.Description, includeInternal: true, ct);
        return hits.Select(h => new KbCitation(h.Id, h.Slug, h.Title, h.Score, h.Public)).ToList();
    }

    /// <summary>Classifies the ticket with the retrieved articles' snippets (remote providers see them and may cite them).</summary>
    [Activity]
    public async Task<Classification> ClassifyTicketWithArticlesAsync(ClassifyInput input)
    {
        var ct = ActivityExecutionContext.Current.CancellationToken;
        IReadOnlyList<ArticleSnippet> snippets = [];
        if (input.Articles.Count > 0 && articles is not null)
        {
            var rows = (await articles.GetManyAsync(input.Articles.Select(a => a.Id).ToList(), ct)).ToDictionary(r => r.Id);
            snippets = input.Articles.Where(a => rows.ContainsKey(a.Id))
                .Select(a => new ArticleSnippet(a.Id, rows[a.Id].Title, KbSections.Snippet(rows[a.Id].Body)))
                .ToList();
        }

        return await ClassifyAsync(input.TicketId, snippets);
    }

    /// <summary>Marks the ticket's triage running (fails permanently when the ticket does not exist).</summary>
    [Activity]
    public async Task StartTriageAsync(long ticketId)
    {
        var ct = ActivityExecutionContext.Current.CancellationToken;
        _ = await triage.StartAsync(ticketId, ct) ?? throw TicketNotFound.Failure(ticketId);
    }

    /// <summary>
    /// Classifies the ticket. Provider failures become Temporal failures: permanent ones are
    /// non-retryable (the workflow records them and fails), transient ones are retried.
    /// </summary>
    [Activity]
    public Task<Classification> ClassifyTicketAsync(long ticketId) => ClassifyAsync(ticketId, null);

    private async Task<Classification> ClassifyAsync(long ticketId, IReadOnlyList<ArticleSnippet>? snippets)
    {
        var context = ActivityExecutionContext.Current;
        var ct = context.CancellationToken;
        var ticket = await triage.GetAsync(ticketId, ct) ?? throw TicketNotFound.Failure(ticketId);
        // An LLM call can take a minute; heartbeats let Temporal retry an attempt whose worker died
        // after the heartbeat timeout instead of after the whole start-to-close timeout.
        using var stopBeating = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var beating = HeartbeatUntilAsync(context, stopBeating.Token);
        try
        {
            var result = await classifier.ClassifyAsync(new TicketText(ticket.Id, ticket.Subject, ticket.Description, ticket.Source, snippets), ct);
            LogClassified(logger, ticketId, classifier.Provider, result.Category, result.Priority, context.Info.Attempt);
            // The result travels through workflow history, which must hold no PII: personal values in
            // the summary and entities become the ticket's placeholders; the save activity restores them.
            return HistoryPrivacy.Redact(result, ticket.Subject, ticket.Description);
        }
        catch (ClassifierException ex) when (ex.Permanent)
        {
            OpsDeskMetrics.ClassifyFailed(classifier.Provider, ex.Reason, permanent: true);
            LogPermanent(logger, ticketId, classifier.Provider, ex.Reason, context.Info.Attempt);
            throw new ApplicationFailureException(
                $"{classifier.Provider} classifier failed permanently ({ex.Reason}): {ex.Message}",
                TriagePolicy.PermanentClassifierError, nonRetryable: true, details: [ex.Reason, context.Info.Attempt]);
        }
        catch (ClassifierException ex)
        {
            OpsDeskMetrics.ClassifyFailed(classifier.Provider, ex.Reason, permanent: false);
            LogTransient(logger, ticketId, classifier.Provider, ex.Reason, context.Info.Attempt);
            throw new ApplicationFailureException(
                $"{classifier.Provider} classifier failed ({ex.Reason}), will retry: {ex.Message}",
                TriagePolicy.TransientClassifierError, nonRetryable: false, details: [ex.Reason, context.Info.Attempt]);
        }
        finally
        {
            await stopBeating.CancelAsync();
            await beating;
        }
    }

    private static async Task HeartbeatUntilAsync(ActivityExecutionContext context, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TriagePolicy.ClassifyHeartbeatEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
                context.Heartbeat();
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The call finished (or the attempt was cancelled): no more heartbeats.
        }
    }

    /// <summary>Writes ticket_ai, the ticket's category/priority/status and one ticket.classified, in one transaction.</summary>
    [Activity]
    public async Task SaveClassificationAsync(SaveClassificationInput input)
    {
        var ct = ActivityExecutionContext.Current.CancellationToken;
        var ticket = await triage.GetAsync(input.TicketId, ct) ?? throw TicketNotFound.Failure(input.TicketId);
        var c = HistoryPrivacy.Restore(input.Classification, ticket.Subject, ticket.Description);
        var row = new TriageResultRow(
            input.TicketId, c.Summary, c.Category, c.Priority, JsonSerializer.Serialize(c.Entities, EntityJson.Options),
            c.Confidence, c.Language, c.Sentiment, c.Provider, c.Model, c.PromptVersion, CitationsJson(input.Citations, c.CitedArticleIds));
        await triage.SaveAsync(row, ct);
        OpsDeskMetrics.TriageFinished(c.Provider, TriageStatuses.Classified, DateTime.UtcNow - ticket.CreatedAt);
    }

    /// <summary>
    /// The citations to store: the retrieved articles, narrowed to those a remote model said apply when it
    /// was asked (the validator has already refused ids it was not given).
    /// </summary>
    private static string CitationsJson(IReadOnlyList<KbCitation>? retrieved, IReadOnlyList<long>? cited)
    {
        var list = retrieved ?? [];
        if (cited is not null)
            list = list.Where(c => cited.Contains(c.Id)).ToList();
        return JsonSerializer.Serialize(list, CitationJson);
    }

    /// <summary>Records the failure of this workflow run: triage_status=failed and one ticket.triage_failed.</summary>
    [Activity]
    public async Task RecordTriageFailureAsync(RecordFailureInput input)
    {
        var context = ActivityExecutionContext.Current;
        var ct = context.CancellationToken;
        await triage.RecordFailureAsync(input.TicketId, context.Info.WorkflowRunId ?? context.Info.WorkflowId ?? "unknown", input.Reason, input.Message, input.Attempts, ct);
        if (await triage.GetAsync(input.TicketId, ct) is { } ticket)
            OpsDeskMetrics.TriageFinished(classifier.Provider, TriageStatuses.Failed, DateTime.UtcNow - ticket.CreatedAt);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {TicketId} classified by {Provider} as {Category}/{Priority} (attempt {Attempt})")]
    private static partial void LogClassified(ILogger logger, long ticketId, string provider, string category, string priority, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ticket {TicketId}: {Provider} failed permanently ({Reason}) on attempt {Attempt}")]
    private static partial void LogPermanent(ILogger logger, long ticketId, string provider, string reason, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ticket {TicketId}: {Provider} failed transiently ({Reason}) on attempt {Attempt}; Temporal retries")]
    private static partial void LogTransient(ILogger logger, long ticketId, string provider, string reason, int attempt);
}
