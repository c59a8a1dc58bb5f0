using Microsoft.Extensions.Options;
using OpsDesk.Db.Kb;

namespace OpsDesk.Workflows.Kb;

/// <summary>
/// The articles' vectors of the current embedding model, in memory (PostgreSQL has no pgvector here).
/// Searches scan every chunk (≈ 5 per article); the index reloads from PostgreSQL when the knowledge base's
/// revision (one row that every write to articles or vectors bumps) changed, checked at most every
/// <c>Kb:IndexRefreshSeconds</c>.
/// With them it reloads the articles' common full-text words (<see cref="CommonTerms"/>), which the full-text
/// half of retrieval leaves out.
/// </summary>
public sealed class KbVectorIndex(KbRepository repository, IEmbeddingService embeddings, IOptions<KbOptions> options, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim reload = new(1, 1);
    private Snapshot current = Snapshot.Empty;
    private long checkedAt = long.MinValue;

    /// <summary>
    /// A lexeme in more than this share of the articles is "common": it scores little in <c>ts_rank</c> and
    /// matches most rows, so the full-text query drops it when rarer words remain.
    /// </summary>
    public const double CommonTermShare = 0.05;

    /// <summary>The articles' common full-text words as of the last load (none before the first).</summary>
    public KbCommonTerms CommonTerms { get; private set; } = KbCommonTerms.None;

    /// <summary>Articles with vectors in the loaded snapshot.</summary>
    public int ArticleCount => current.Articles.Length;

    /// <summary>Chunk vectors in the loaded snapshot.</summary>
    public int VectorCount => current.VectorCount;

    /// <summary>Reloads now if the database changed since the last load.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        await reload.WaitAsync(ct);
        try
        {
            var stamp = await repository.IndexStampAsync(ct);
            checkedAt = time.GetTimestamp();
            if (stamp == current.Stamp)
                return;
            current = Snapshot.From(stamp, await repository.LoadVectorsAsync(embeddings.Model, ct));
            CommonTerms = await repository.CommonTermsAsync(CommonTermShare, ct);
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
        public static readonly Snapshot Empty = new("", [], [], 0, []);

        // Every chunk vector of one dimension in one contiguous row-major matrix: the scan reads memory in
        // order (no pointer per vector, no per-array header), which is what bounds it at 100 k articles.
        private readonly float[] matrix;
        private readonly int dimensions;
        private readonly int[] owner;

        private Snapshot(string stamp, KbArticleEntry[] articles, float[] matrix, int dimensions, int[] owner)
        {
            Stamp = stamp;
            Articles = articles;
            this.matrix = matrix;
            this.dimensions = dimensions;
            this.owner = owner;
        }

        public string Stamp { get; }

        public KbArticleEntry[] Articles { get; }

        public int VectorCount => owner.Length;

        public static Snapshot From(string stamp, IReadOnlyList<KbChunkVector> rows)
        {
            var articles = new List<KbArticleEntry>();
            // Vectors of another length than the first (a model change half-way) could never match a query of
            // that model's length anyway (Vectors.Cosine gives 0 for them): they are left out of the matrix.
            var dimensions = rows.Count > 0 ? rows[0].Vector.Length : 0;
            var kept = rows.Count(r => r.Vector.Length == dimensions);
            var matrix = new float[kept * dimensions];
            var owner = new int[kept];
            var byId = new Dictionary<long, int>();
            var row = 0;
            for (var i = 0; i < rows.Count; i++)
            {
                var r = rows[i];
                if (!byId.TryGetValue(r.DocId, out var index))
                {
                    index = articles.Count;
                    byId[r.DocId] = index;
                    articles.Add(new KbArticleEntry(r.DocId, r.Slug, r.Title, r.Visibility == KbVisibility.Public));
                }

                if (r.Vector.Length != dimensions)
                    continue;
                r.Vector.CopyTo(matrix, row * dimensions);
                owner[row++] = index;
            }

            return new Snapshot(stamp, [.. articles], matrix, dimensions, owner);
        }

        public List<(KbArticleEntry, float)> Search(float[] query, bool includeInternal, int limit)
        {
            var best = new float[Articles.Length];
            Array.Fill(best, float.NegativeInfinity);
            var all = matrix.AsSpan();
            var differentLength = query.Length != dimensions;
            for (var i = 0; i < owner.Length; i++)
            {
                var a = owner[i];
                if (!includeInternal && !Articles[a].Public)
                    continue;
                var s = differentLength ? 0 : Vectors.Cosine(query, all.Slice(i * dimensions, dimensions));
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
