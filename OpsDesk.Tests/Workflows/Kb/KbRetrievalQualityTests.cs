using System.Text.Json;
using Dapper;
using Npgsql;
using OpsDesk.Db.Kb;
using OpsDesk.Tests.Support;
using OpsDesk.Workflows.Kb;

namespace OpsDesk.Tests.Workflows.Kb;

/// <summary>
/// Retrieval quality over the starter articles: the labelled queries of Fixtures/kb/retrieval-queries.json
/// (written before any tuning) through the real hybrid retriever (PostgreSQL full-text + MiniLM vectors, fused).
/// </summary>
public sealed class KbRetrievalQualityTests
{
    private NpgsqlDataSource db = null!;
    private KbRetriever retriever = null!;

    [OneTimeSetUp]
    public async Task ImportAsync()
    {
        db = NpgsqlDataSource.Create(await TestDatabase.CreateIsolatedDatabaseAsync());
        await KbTestData.ImportStarterSetAsync(db);
        retriever = KbTestData.Retriever(db);
    }

    [OneTimeTearDown]
    public async Task DisposeAsync() => await db.DisposeAsync();

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private sealed record LabelledQuery(string Query, string[] Relevant);

    private static List<LabelledQuery> Queries() =>
        JsonSerializer.Deserialize<List<LabelledQuery>>(
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "kb", "retrieval-queries.json")),
            Web)!;

    [Test]
    public async Task Recall_at_3_over_the_labelled_queries_is_at_least_0_9()
    {
        var queries = Queries();
        Assert.That(queries, Has.Count.GreaterThanOrEqualTo(40));
        var found = 0;
        var misses = new List<string>();
        foreach (var q in queries)
        {
            var hits = await retriever.SearchAsync(q.Query, includeInternal: true, 3, CancellationToken.None);
            if (hits.Any(h => q.Relevant.Contains(h.Slug)))
                found++;
            else
                misses.Add($"{q.Query} → [{string.Join(", ", hits.Select(h => h.Slug))}], wanted [{string.Join(", ", q.Relevant)}]");
        }

        var recall = (double)found / queries.Count;
        TestContext.Out.WriteLine($"recall@3 = {found}/{queries.Count} = {recall:P1}");
        foreach (var miss in misses)
            TestContext.Out.WriteLine("miss: " + miss);
        Assert.That(recall, Is.GreaterThanOrEqualTo(0.9));
    }

    [Test]
    public async Task Hits_carry_fused_scores_best_first_and_public_only_when_asked()
    {
        var hits = await retriever.SearchAsync("otp not coming for login", includeInternal: false, 5, CancellationToken.None);

        Assert.That(hits, Has.Count.EqualTo(5));
        Assert.That(hits.Select(h => h.Score), Is.Ordered.Descending);
        Assert.That(hits.All(h => h.Public), Is.True);
        Assert.That(hits[0].Score, Is.GreaterThan(0).And.LessThanOrEqualTo(1));
        var internalSlugs = (await new KbRepository(db).ListAsync(true, 100, CancellationToken.None)).Where(a => !a.IsPublic).Select(a => a.Slug).ToList();
        Assert.That(internalSlugs, Is.Not.Empty);
        Assert.That(hits.Select(h => h.Slug), Has.None.AnyOf(internalSlugs.ToArray()));
    }

    [Test]
    public async Task Full_text_leaves_out_common_words_while_rarer_ones_remain()
    {
        var ct = CancellationToken.None;
        var repo = new KbRepository(db);
        var common = await repo.CommonTermsAsync(KbVectorIndex.CommonTermShare, ct);
        var articles = (await repo.ListAsync(true, 1000, ct)).Count;
        Assert.That(common.Words, Is.Not.Empty);
        Assert.That(common.Documents, Has.All.GreaterThan(KbVectorIndex.CommonTermShare * articles));

        // Words that are their own lexeme (so the query yields exactly them): the most common one, and one in a single article.
        const string stable = "tsvector_to_array(to_tsvector('english', word)) = ARRAY[word]";
        await using var conn = await db.OpenConnectionAsync(ct);
        var (frequent, frequentDocs) = await conn.QuerySingleAsync<(string, int)>(
            $"SELECT word, ndoc FROM ts_stat('SELECT search FROM kb_docs') WHERE {stable} ORDER BY ndoc DESC, word LIMIT 1");
        var rare = await conn.QuerySingleAsync<string>(
            $"SELECT word FROM ts_stat('SELECT search FROM kb_docs') WHERE ndoc = 1 AND {stable} ORDER BY word LIMIT 1");
        Assert.That(common.Words, Does.Contain(frequent));

        var all = await repo.SearchTextAsync($"{frequent} {rare}", KbCommonTerms.None, 1, true, 1000, ct);
        var pruned = await repo.SearchTextAsync($"{frequent} {rare}", common, 1, true, 1000, ct);
        var onlyCommon = await repo.SearchTextAsync(frequent, common, 1, true, 1000, ct);

        Assert.That(all, Has.Count.EqualTo(frequentDocs).Or.EqualTo(frequentDocs + 1));
        Assert.That(pruned, Has.Count.EqualTo(1), "only the article with the rare word is ranked");
        Assert.That(all.Select(h => h.Id), Does.Contain(pruned[0].Id));
        Assert.That(onlyCommon, Has.Count.EqualTo(frequentDocs), "a query of common words only still searches them");
    }

    [Test]
    public async Task A_query_about_nothing_in_the_knowledge_base_is_not_relevant_to_any_article()
    {
        var hits = await retriever.RelevantAsync("what is the boiling point of liquid nitrogen in kelvin", includeInternal: true, CancellationToken.None);
        Assert.That(hits, Is.Empty);
    }

    [Test]
    public async Task Re_embedding_the_same_version_is_idempotent_and_an_edit_makes_the_old_vectors_stale()
    {
        var repo = new KbRepository(db);
        var article = (await repo.ListAsync(true, 1, CancellationToken.None))[0];
        var activities = new KbActivities(repo, KbTestData.Embeddings, Microsoft.Extensions.Logging.Abstractions.NullLogger<KbActivities>.Instance);
        static Task<long> CountAsync(NpgsqlDataSource db, long id) => ScalarAsync(db, "SELECT count(*) FROM kb_embeddings WHERE doc_id = @id", id);
        var before = await CountAsync(db, article.Id);

        var again = await activities.EmbedArticleAsync(new KbEmbedInput(article.Id, article.Version));
        Assert.That(await CountAsync(db, article.Id), Is.EqualTo(before));
        Assert.That(again, Is.EqualTo(before));

        var edited = await repo.UpdateAsync(article.Id, new KbArticleInput(article.Slug, article.Title, article.Body + "\nEdited.\n", article.Tags, article.Visibility), CancellationToken.None);
        Assert.That(edited.Article!.Version, Is.EqualTo(article.Version + 1));
        Assert.That((await repo.ListStaleAsync(KbTestData.Embeddings.Model, 100, CancellationToken.None)).Select(s => s.Id), Does.Contain(article.Id));
        Assert.That(await activities.EmbedArticleAsync(new KbEmbedInput(article.Id, article.Version)), Is.Zero, "an old version is not embedded over the new one");
        Assert.That(await activities.EmbedArticleAsync(new KbEmbedInput(article.Id, article.Version + 1)), Is.GreaterThan(0));
        Assert.That((await repo.ListStaleAsync(KbTestData.Embeddings.Model, 100, CancellationToken.None)).Select(s => s.Id), Does.Not.Contain(article.Id));
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource db, string sql, long id)
    {
        await using var cmd = db.CreateCommand(sql);
        cmd.Parameters.AddWithValue("id", id);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
