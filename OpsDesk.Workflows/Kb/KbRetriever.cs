using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpsDesk.Db.Kb;

namespace OpsDesk.Workflows.Kb;

/// <summary>
/// Hybrid retrieval, the one used by triage, agent search and the portal: full-text candidates
/// (<c>ts_rank</c> on the weighted tsvector) and vector candidates (cosine over the in-memory index)
/// fused by reciprocal-rank fusion. An embedding provider that fails leaves the full-text half: retrieval
/// never blocks triage or search.
/// </summary>
public sealed partial class KbRetriever(KbRepository repository, KbVectorIndex index, IEmbeddingService embeddings, IOptions<KbOptions> options, ILogger<KbRetriever> logger)
{
    /// <summary>The usual RRF constant: a rank-1 hit counts 1/61, a rank-10 one 1/70.</summary>
    public const int RrfK = 60;

    /// <summary>Candidates taken from each list before fusing.</summary>
    public const int Candidates = 20;

    /// <summary>Query words the full text keeps at least (the rarest), however common they are.</summary>
    public const int MinTextWords = 5;

    /// <summary>The best <paramref name="limit"/> articles for <paramref name="query"/>, best first.</summary>
    public async Task<IReadOnlyList<KbHit>> SearchAsync(string query, bool includeInternal, int limit, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(query))
            return [];
        // The two halves overlap: PostgreSQL ranks the full-text candidates while this process embeds the
        // query and scans the vectors (the search then takes the longer of the two, not their sum).
        // Common words are left out of the full text (see KbVectorIndex.CommonTerms, loaded with the vectors).
        var textSearch = repository.SearchTextAsync(query, index.CommonTerms, MinTextWords, includeInternal, Candidates, ct);
        IReadOnlyList<(KbVectorIndex.KbArticleEntry Article, float Similarity)> similar;
        try
        {
            similar = await SimilarAsync(query, includeInternal, ct);
        }
        catch
        {
            // Not left running unobserved; the vector half's failure is the one that propagates.
            await ((Task)textSearch).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }

        var text = await textSearch;

        var fused = new Dictionary<long, (double Score, double Similarity, double TextRank)>();
        for (var i = 0; i < text.Count; i++)
            fused[text[i].Id] = (1.0 / (RrfK + i + 1), 0, text[i].Rank);
        for (var i = 0; i < similar.Count; i++)
        {
            var (article, similarity) = similar[i];
            fused.TryGetValue(article.Id, out var f);
            fused[article.Id] = (f.Score + (1.0 / (RrfK + i + 1)), similarity, f.TextRank);
        }

        var top = fused.OrderByDescending(f => f.Value.Score).ThenBy(f => f.Key).Take(limit).ToList();
        // Text-only hits (no vectors yet, or not among the vector candidates) bring their titles with them.
        var known = similar.ToDictionary(s => s.Article.Id, s => s.Article);
        foreach (var t in text)
            known.TryAdd(t.Id, new KbVectorIndex.KbArticleEntry(t.Id, t.Slug, t.Title, t.IsPublic));

        const double best = 2.0 / (RrfK + 1);
        return top.Where(t => known.ContainsKey(t.Key))
            .Select(t =>
            {
                var a = known[t.Key];
                return new KbHit(a.Id, a.Slug, a.Title, a.Public, Math.Round(t.Value.Score / best, 4), Math.Round(t.Value.Similarity, 4), Math.Round(t.Value.TextRank, 4));
            })
            .ToList();
    }

    private async Task<IReadOnlyList<(KbVectorIndex.KbArticleEntry Article, float Similarity)>> SimilarAsync(string query, bool includeInternal, CancellationToken ct)
    {
        try
        {
            var vector = (await embeddings.EmbedAsync([query], ct))[0];
            return await index.SearchAsync(vector, includeInternal, Candidates, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !Db.Resilience.DbErrors.IsDatabaseFailure(ex))
        {
            LogEmbeddingFailed(logger, embeddings.Model, ex.GetType().Name, ex.Message);
            return [];
        }
    }

    /// <summary>
    /// Articles relevant enough to cite or suggest: the fused top <c>Kb:CitationCount</c> whose similarity
    /// reaches <c>Kb:MinSimilarity</c> (a ticket about nothing in the knowledge base cites nothing).
    /// </summary>
    public async Task<IReadOnlyList<KbHit>> RelevantAsync(string query, bool includeInternal, CancellationToken ct)
    {
        var o = options.Value;
        var hits = await SearchAsync(query, includeInternal, Math.Max(o.CitationCount * 2, 5), ct);
        return hits.Where(h => h.Similarity >= o.MinSimilarity).Take(o.CitationCount).ToList();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Query embedding with {Model} failed ({Kind}: {Reason}); searching by words only")]
    private static partial void LogEmbeddingFailed(ILogger logger, string model, string kind, string reason);
}
