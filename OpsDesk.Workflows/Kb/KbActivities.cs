using Microsoft.Extensions.Logging;
using OpsDesk.Db.Kb;
using Temporalio.Activities;

namespace OpsDesk.Workflows.Kb;

/// <summary>The knowledge base's I/O for Temporal. Idempotent: embedding a version twice stores the same rows.</summary>
public sealed partial class KbActivities(KbRepository articles, IEmbeddingService embeddings, ILogger<KbActivities> logger)
{
    /// <summary>
    /// Embeds the article's chunks with the configured model and stores them for that version. A version
    /// that is no longer current (edited meanwhile) or a deleted article stores nothing: the newer
    /// version has its own workflow. Returns the number of chunks stored.
    /// </summary>
    [Activity]
    public async Task<int> EmbedArticleAsync(KbEmbedInput input)
    {
        var ct = ActivityExecutionContext.HasCurrent ? ActivityExecutionContext.Current.CancellationToken : CancellationToken.None;
        var article = await articles.GetAsync(input.ArticleId, ct);
        if (article is null || article.Version != input.Version)
        {
            LogSkipped(logger, input.ArticleId, input.Version, article?.Version);
            return 0;
        }

        var chunks = KbSections.Chunks(article.Title, article.Tags, article.Body);
        var vectors = await embeddings.EmbedAsync(chunks, ct);
        var stored = await articles.SaveEmbeddingsAsync(article.Id, article.Version, embeddings.Model, vectors, ct);
        LogEmbedded(logger, article.Id, article.Version, embeddings.Model, stored ? vectors.Length : 0);
        return stored ? vectors.Length : 0;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Article {ArticleId} v{Version}: {Chunks} chunk vector(s) stored for {Model}")]
    private static partial void LogEmbedded(ILogger logger, long articleId, int version, string model, int chunks);

    [LoggerMessage(Level = LogLevel.Information, Message = "Article {ArticleId} v{Version}: not embedded, current version is {Current}")]
    private static partial void LogSkipped(ILogger logger, long articleId, int version, int? current);
}
