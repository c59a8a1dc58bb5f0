using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace OpsDesk.Db.Kb;

/// <summary>
/// Knowledge-base articles and their vectors. Every write is one statement or one transaction, so an
/// article is stored whole or not at all; an edit that changes nothing keeps its version.
/// </summary>
public sealed class KbRepository(NpgsqlDataSource dataSource) : DataAccess(dataSource)
{
    private const string Columns = "id, slug, title, body, tags, visibility, version, created_at, updated_at";

    // Content that, when changed, makes a new version (and so new vectors).
    private const string Changed = "(kb_docs.slug, kb_docs.title, kb_docs.body, kb_docs.tags, kb_docs.visibility) IS DISTINCT FROM (@Slug, @Title, @Body, @Tags, @Visibility)";

    public async Task<KbArticleRow?> GetAsync(long id, CancellationToken ct)
    {
        const string sql = $"SELECT {Columns} FROM kb_docs WHERE id = @id";
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<KbArticleRow>(new CommandDefinition(sql, new { id }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<KbArticleRow>> GetManyAsync(IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        const string sql = $"SELECT {Columns} FROM kb_docs WHERE id = ANY(@ids)";
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<KbArticleRow>(new CommandDefinition(sql, new { ids = ids.ToArray() }, cancellationToken: ct))).AsList();
    }

    /// <summary>Articles by slug, newest edits first; internal ones only when <paramref name="includeInternal"/>.</summary>
    public async Task<IReadOnlyList<KbArticleRow>> ListAsync(bool includeInternal, int limit, CancellationToken ct)
    {
        const string sql = $"""
            SELECT {Columns} FROM kb_docs
            WHERE @includeInternal OR visibility = 'public'
            ORDER BY slug LIMIT @limit
            """;
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<KbArticleRow>(new CommandDefinition(sql, new { includeInternal, limit }, cancellationToken: ct))).AsList();
    }

    /// <summary>Inserts a new article; <see cref="KbWriteOutcome.SlugTaken"/> when the slug is in use.</summary>
    public async Task<KbWriteResult> InsertAsync(KbArticleInput input, CancellationToken ct)
    {
        const string sql = $"""
            INSERT INTO kb_docs (slug, title, body, tags, visibility)
            VALUES (@Slug, @Title, @Body, @Tags, @Visibility)
            ON CONFLICT (slug) DO NOTHING
            RETURNING {Columns}
            """;
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<KbArticleRow>(new CommandDefinition(sql, Parameters(input), cancellationToken: ct));
        return row is null ? new KbWriteResult(KbWriteOutcome.SlugTaken, null) : new KbWriteResult(KbWriteOutcome.Created, row);
    }

    /// <summary>Replaces an article's content; the version goes up only when something changed.</summary>
    public async Task<KbWriteResult> UpdateAsync(long id, KbArticleInput input, CancellationToken ct)
    {
        const string sql = $"""
            UPDATE kb_docs SET slug = @Slug, title = @Title, body = @Body, tags = @Tags, visibility = @Visibility,
                               version = version + 1, updated_at = now()
            WHERE id = @Id AND {Changed}
            RETURNING {Columns}
            """;
        var parameters = Parameters(input);
        parameters.Add("Id", id);
        try
        {
            await using var conn = await DataSource.OpenConnectionAsync(ct);
            var row = await conn.QuerySingleOrDefaultAsync<KbArticleRow>(new CommandDefinition(sql, parameters, cancellationToken: ct));
            if (row is not null)
                return new KbWriteResult(KbWriteOutcome.Updated, row);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return new KbWriteResult(KbWriteOutcome.SlugTaken, null);
        }

        var current = await GetAsync(id, ct);
        return current is null ? new KbWriteResult(KbWriteOutcome.NotFound, null) : new KbWriteResult(KbWriteOutcome.Unchanged, current);
    }

    /// <summary>Creates or replaces the article with this slug (the importer): idempotent, the version moves only on change.</summary>
    public async Task<KbWriteResult> UpsertBySlugAsync(KbArticleInput input, CancellationToken ct)
    {
        const string sql = $"""
            INSERT INTO kb_docs (slug, title, body, tags, visibility)
            VALUES (@Slug, @Title, @Body, @Tags, @Visibility)
            ON CONFLICT (slug) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body, tags = EXCLUDED.tags,
                visibility = EXCLUDED.visibility, version = kb_docs.version + 1, updated_at = now()
            WHERE {Changed}
            RETURNING {Columns}, (xmax = 0) AS inserted
            """;
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        var written = await conn.QuerySingleOrDefaultAsync(new CommandDefinition(sql, Parameters(input), cancellationToken: ct));
        if (written is null)
        {
            const string read = $"SELECT {Columns} FROM kb_docs WHERE slug = @Slug";
            return new KbWriteResult(KbWriteOutcome.Unchanged,
                await conn.QuerySingleAsync<KbArticleRow>(new CommandDefinition(read, new { input.Slug }, cancellationToken: ct)));
        }

        var row = new KbArticleRow
        {
            Id = written.id,
            Slug = written.slug,
            Title = written.title,
            Body = written.body,
            Tags = written.tags,
            Visibility = written.visibility,
            Version = written.version,
            CreatedAt = written.created_at,
            UpdatedAt = written.updated_at,
        };
        return new KbWriteResult((bool)written.inserted ? KbWriteOutcome.Created : KbWriteOutcome.Updated, row);
    }

    /// <summary>Deletes an article and (by cascade) its vectors; false when it did not exist.</summary>
    public async Task<bool> DeleteAsync(long id, CancellationToken ct)
    {
        const string sql = "DELETE FROM kb_docs WHERE id = @id";
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(sql, new { id }, cancellationToken: ct)) > 0;
    }

    /// <summary>
    /// Full-text candidates, ranked by <c>ts_rank</c> on the weighted tsvector (title A, body B). The query's words
    /// are OR-ed (so a long question still finds articles), except words in <paramref name="common"/>: those are
    /// dropped while at least <paramref name="minWords"/> words remain (the rarest kept), and the common words kept
    /// must all be in an article for them to match it, so the GIN index returns the few articles that share a
    /// telling word instead of nearly every article, each of which would be ranked.
    /// </summary>
    public async Task<IReadOnlyList<KbTextHit>> SearchTextAsync(string query, KbCommonTerms common, int minWords, bool includeInternal, int limit, CancellationToken ct)
    {
        // to_tsvector yields the lexemes plainto_tsquery would (same configuration); a kept lexeme is quoted
        // into the tsquery text as is (tsquery escapes: backslash and a doubled quote). Rare words are OR-ed; the
        // common words kept to reach @minWords are AND-ed into one more alternative: OR-ed, they matched most
        // articles (each of which is then ranked), and an article with only some of them is seldom the answer.
        const string sql = """
            WITH lexemes AS (
                SELECT l.word, coalesce(c.ndoc, 0) AS ndoc
                FROM unnest(tsvector_to_array(to_tsvector('english', @query))) AS l(word)
                LEFT JOIN unnest(@commonWords::text[], @commonDocs::int[]) AS c(word, ndoc) USING (word)
            ), kept AS (
                SELECT ndoc, '''' || replace(replace(word, '\', '\\'), '''', '''''') || '''' AS quoted
                FROM (SELECT word, ndoc, row_number() OVER (ORDER BY ndoc, word) AS n FROM lexemes) r
                WHERE ndoc = 0 OR n <= @minWords
            ), parts AS (
                SELECT (SELECT string_agg(quoted, ' | ') FROM kept WHERE ndoc = 0) AS rare,
                       (SELECT '(' || string_agg(quoted, ' & ') || ')' FROM kept WHERE ndoc > 0) AS common
            ), q AS (
                SELECT concat_ws(' | ', rare, common)::tsquery AS query FROM parts WHERE coalesce(rare, common) IS NOT NULL
            )
            SELECT d.id, ts_rank(d.search, q.query) AS rank, d.slug, d.title, d.visibility = 'public' AS ispublic
            FROM kb_docs d, q
            WHERE d.search @@ q.query AND (@includeInternal OR d.visibility = 'public')
            ORDER BY rank DESC, d.id LIMIT @limit
            """;
        var parameters = new { query, commonWords = common.Words, commonDocs = common.Documents, minWords, includeInternal, limit };
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<KbTextHit>(new CommandDefinition(sql, parameters, cancellationToken: ct))).AsList();
    }

    /// <summary>
    /// Lexemes of the weighted tsvector found in more than <paramref name="share"/> of the articles (one pass of
    /// <c>ts_stat</c> over <c>kb_docs</c>; the in-memory index reloads them when the articles change).
    /// </summary>
    public async Task<KbCommonTerms> CommonTermsAsync(double share, CancellationToken ct)
    {
        const string sql = """
            SELECT word, ndoc FROM ts_stat('SELECT search FROM kb_docs')
            WHERE ndoc > @share * (SELECT count(*) FROM kb_docs)
            ORDER BY word
            """;
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        var rows = (await conn.QueryAsync<(string Word, int Ndoc)>(new CommandDefinition(sql, new { share }, cancellationToken: ct))).AsList();
        return new KbCommonTerms(rows.Select(r => r.Word).ToArray(), rows.Select(r => r.Ndoc).ToArray());
    }

    /// <summary>Articles whose current version has no vectors for <paramref name="model"/>, oldest edit first.</summary>
    public async Task<IReadOnlyList<KbStaleArticle>> ListStaleAsync(string model, int limit, CancellationToken ct)
    {
        const string sql = """
            SELECT d.id, d.version FROM kb_docs d
            WHERE NOT EXISTS (SELECT 1 FROM kb_embeddings e WHERE e.doc_id = d.id AND e.model = @model AND e.doc_version = d.version)
            ORDER BY d.updated_at, d.id LIMIT @limit
            """;
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<KbStaleArticle>(new CommandDefinition(sql, new { model, limit }, cancellationToken: ct))).AsList();
    }

    /// <summary>
    /// Stores an article's vectors for <paramref name="model"/>, computed from <paramref name="version"/>.
    /// Idempotent; a stale version (the article changed meanwhile) stores nothing and returns false.
    /// </summary>
    public async Task<bool> SaveEmbeddingsAsync(long id, int version, string model, IReadOnlyList<float[]> chunks, CancellationToken ct)
    {
        const string lockDoc = "SELECT version FROM kb_docs WHERE id = @id FOR UPDATE";
        const string clear = "DELETE FROM kb_embeddings WHERE doc_id = @id AND model = @model";
        const string insert = "INSERT INTO kb_embeddings (doc_id, model, chunk, doc_version, vector) VALUES ($1, $2, $3, $4, $5)";
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var current = await conn.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(lockDoc, new { id }, tx, cancellationToken: ct));
        if (current != version)
            return false;
        await conn.ExecuteAsync(new CommandDefinition(clear, new { id, model }, tx, cancellationToken: ct));
        await using (var batch = new NpgsqlBatch(conn, tx))
        {
            for (var i = 0; i < chunks.Count; i++)
            {
                var cmd = new NpgsqlBatchCommand(insert);
                cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
                cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = model });
                cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = i });
                cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version });
                cmd.Parameters.Add(new NpgsqlParameter<float[]> { TypedValue = chunks[i], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Real });
                batch.BatchCommands.Add(cmd);
            }

            if (chunks.Count > 0)
                await batch.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Every current vector of <paramref name="model"/> (vectors of older versions are skipped).</summary>
    public async Task<IReadOnlyList<KbChunkVector>> LoadVectorsAsync(string model, CancellationToken ct)
    {
        const string sql = """
            SELECT d.id, d.slug, d.title, d.visibility, e.chunk, e.vector
            FROM kb_embeddings e JOIN kb_docs d ON d.id = e.doc_id AND d.version = e.doc_version
            WHERE e.model = @model
            ORDER BY d.id, e.chunk
            """;
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.AddWithValue("model", model);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var list = new List<KbChunkVector>();
        while (await reader.ReadAsync(ct))
            list.Add(new KbChunkVector(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4), reader.GetFieldValue<float[]>(5)));
        return list;
    }

    /// <summary>The knowledge base's revision: it changes whenever an article or a vector does (any model).</summary>
    public async Task<string> IndexStampAsync(CancellationToken ct)
    {
        // One primary-key read: every statement that writes kb_docs or kb_embeddings bumps the revision in
        // its own transaction (migration 0013), so a changed revision is a committed change.
        const string sql = "SELECT revision::text FROM kb_revision";
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleAsync<string>(new CommandDefinition(sql, cancellationToken: ct));
    }

    private static DynamicParameters Parameters(KbArticleInput input)
    {
        var p = new DynamicParameters();
        p.Add("Slug", input.Slug);
        p.Add("Title", input.Title);
        p.Add("Body", input.Body);
        p.Add("Tags", input.Tags.ToArray());
        p.Add("Visibility", input.Visibility);
        return p;
    }
}
