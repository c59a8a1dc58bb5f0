using Microsoft.Extensions.Options;
using OpsDesk.Db.Kb;

namespace OpsDesk.Workflows.Kb;

/// <summary>
/// The articles' vectors of the current embedding model, in memory (PostgreSQL has no pgvector here).
/// Searches scan every chunk (≈ 5 per article); the index reloads from PostgreSQL when the database's
/// fingerprint of articles and vectors changed, checked at most every <c>Kb:IndexRefreshSeconds</c>.
/// </summary>
public sealed class KbVectorIndex(KbRepository repository, IEmbeddingService embeddings, IOptions<KbOptions> options, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim reload = new(1, 1);
    private Snapshot current = Snapshot.Empty;
    private long checkedAt = long.MinValue;

    /// <summary>Articles with vectors in the loaded snapshot.</summary>
    public int ArticleCount => current.Articles.Length;

    /// <summary>Reloads now if the database changed since the last load.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        await reload.WaitAsync(ct);
        try
        {
            var stamp = await repository.IndexStampAsync(embeddings.Model, ct);
            checkedAt = time.GetTimestamp();
            if (stamp == current.Stamp)
                return;
            current = Snapshot.From(stamp, await repository.LoadVectorsAsync(embeddings.Model, ct));
        }
        finally
        {
            reload.Release();
        }
    }

    /// <summary>Replaces the snapshot with the given vectors (benchmarks build indexes that are not in a database).</summary>
    public void Load(IReadOnlyList<KbChunkVector> vectors)
    {
        current = Snapshot.From(Guid.NewGuid().ToString(), vectors);
        checkedAt = time.GetTimestamp();
    }

    /// <summary>The best <paramref name="limit"/> articles by their best chunk's cosine to <paramref name="query"/>.</summary>
    public async Task<IReadOnlyList<(KbArticleEntry Article, float Similarity)>> SearchAsync(float[] query, bool includeInternal, int limit, CancellationToken ct)
    {
        if (time.GetElapsedTime(checkedAt) > TimeSpan.FromSeconds(options.Value.IndexRefreshSeconds) || checkedAt == long.MinValue)
            await RefreshAsync(ct);
        return current.Search(query, includeInternal, limit);
    }

    public void Dispose() => reload.Dispose();

    /// <summary>One article in the index.</summary>
    public sealed record KbArticleEntry(long Id, string Slug, string Title, bool Public);

    private sealed class Snapshot
    {
        public static readonly Snapshot Empty = new("", [], [], []);

        private readonly float[][] vectors;
        private readonly int[] owner;

        private Snapshot(string stamp, KbArticleEntry[] articles, float[][] vectors, int[] owner)
        {
            Stamp = stamp;
            Articles = articles;
            this.vectors = vectors;
            this.owner = owner;
        }

        public string Stamp { get; }

        public KbArticleEntry[] Articles { get; }

        public static Snapshot From(string stamp, IReadOnlyList<KbChunkVector> rows)
        {
            var articles = new List<KbArticleEntry>();
            var vectors = new float[rows.Count][];
            var owner = new int[rows.Count];
            var byId = new Dictionary<long, int>();
            for (var i = 0; i < rows.Count; i++)
            {
                var r = rows[i];
                if (!byId.TryGetValue(r.DocId, out var index))
                {
                    index = articles.Count;
                    byId[r.DocId] = index;
                    articles.Add(new KbArticleEntry(r.DocId, r.Slug, r.Title, r.Visibility == KbVisibility.Public));
                }

                vectors[i] = r.Vector;
                owner[i] = index;
            }

            return new Snapshot(stamp, [.. articles], vectors, owner);
        }

        public List<(KbArticleEntry, float)> Search(float[] query, bool includeInternal, int limit)
        {
            var best = new float[Articles.Length];
            Array.Fill(best, float.NegativeInfinity);
            for (var i = 0; i < vectors.Length; i++)
            {
                var a = owner[i];
                if (!includeInternal && !Articles[a].Public)
                    continue;
                var s = Vectors.Cosine(query, vectors[i]);
                if (s > best[a])
                    best[a] = s;
            }

            // Partial selection: keep the top `limit` in a small sorted list.
            var top = new List<(KbArticleEntry, float)>(limit + 1);
            for (var a = 0; a < best.Length; a++)
            {
                var s = best[a];
                if (float.IsNegativeInfinity(s) || (top.Count == limit && s <= top[^1].Item2))
                    continue;
                var at = top.FindIndex(t => s > t.Item2);
                top.Insert(at < 0 ? top.Count : at, (Articles[a], s));
                if (top.Count > limit)
                    top.RemoveAt(limit);
            }

            return top;
        }
    }
}
