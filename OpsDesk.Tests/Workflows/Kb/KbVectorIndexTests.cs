using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using OpsDesk.Db.Kb;
using OpsDesk.Tests.Support;
using OpsDesk.Workflows.Kb;

namespace OpsDesk.Tests.Workflows.Kb;

/// <summary>
/// The in-memory vector index notices changes through the knowledge base's revision (migration 0013): every
/// committed write to articles or vectors bumps it, a rolled-back one does not, and a search after a change
/// (once the refresh interval has passed) sees the change. Real PostgreSQL, real MiniLM.
/// </summary>
public sealed class KbVectorIndexTests
{
    private NpgsqlDataSource db = null!;
    private KbRepository repo = null!;
    private KbActivities activities = null!;

    [OneTimeSetUp]
    public async Task CreateAsync()
    {
        db = NpgsqlDataSource.Create(await TestDatabase.CreateIsolatedDatabaseAsync());
        repo = new KbRepository(db);
        activities = new KbActivities(repo, KbTestData.Embeddings, NullLogger<KbActivities>.Instance);
    }

    [OneTimeTearDown]
    public async Task DisposeAsync() => await db.DisposeAsync();

    private static KbArticleInput Article(string slug, string title, string body) => new(slug, title, body, ["test"], KbVisibility.Public);

    private async Task<long> WriteAndEmbedAsync(KbArticleInput input)
    {
        var article = (await repo.UpsertBySlugAsync(input, CancellationToken.None)).Article!;
        await activities.EmbedArticleAsync(new KbEmbedInput(article.Id, article.Version));
        return article.Id;
    }

    private async Task<long> RevisionAsync() => long.Parse(await repo.IndexStampAsync(CancellationToken.None), System.Globalization.CultureInfo.InvariantCulture);

    [Test]
    public async Task Every_committed_write_to_articles_or_vectors_bumps_the_revision_and_a_rolled_back_one_does_not()
    {
        var before = await RevisionAsync();
        var article = (await repo.InsertAsync(Article("revision-insert", "Revision insert", "A body about nothing in particular."), CancellationToken.None)).Article!;
        var afterInsert = await RevisionAsync();
        await activities.EmbedArticleAsync(new KbEmbedInput(article.Id, article.Version));
        var afterEmbed = await RevisionAsync();

        await using (var conn = await db.OpenConnectionAsync())
        await using (var tx = await conn.BeginTransactionAsync())
        {
            await using var cmd = new NpgsqlCommand("UPDATE kb_docs SET title = 'rolled back' WHERE id = $1", conn, tx);
            cmd.Parameters.AddWithValue(article.Id);
            await cmd.ExecuteNonQueryAsync();
            await tx.RollbackAsync();
        }

        var afterRollback = await RevisionAsync();
        await repo.DeleteAsync(article.Id, CancellationToken.None);
        var afterDelete = await RevisionAsync();

        Assert.Multiple(() =>
        {
            Assert.That(afterInsert, Is.GreaterThan(before), "insert");
            Assert.That(afterEmbed, Is.GreaterThan(afterInsert), "vectors stored");
            Assert.That(afterRollback, Is.EqualTo(afterEmbed), "a rolled-back update changes nothing");
            Assert.That(afterDelete, Is.GreaterThan(afterRollback), "delete (and its cascaded vectors)");
        });
    }

    [Test]
    public async Task A_search_after_the_refresh_interval_sees_a_new_an_edited_and_a_deleted_article()
    {
        var time = new ManualTime();
        var index = new KbVectorIndex(repo, KbTestData.Embeddings, Options.Create(new KbOptions { IndexRefreshSeconds = 2 }), time);
        var query = KbTestData.Embeddings.Embed(["My parcel was left with a neighbour and never reached me"])[0];

        var id = await WriteAndEmbedAsync(Article("parcel-left-with-neighbour", "Parcel left with a neighbour", "If the courier left your parcel with a neighbour, ask them first, then report it as not received."));
        var found = await index.SearchAsync(query, includeInternal: true, limit: 5, CancellationToken.None);
        Assert.That(found.Select(f => f.Article.Id), Does.Contain(id), "first search loads the index");

        await WriteAndEmbedAsync(Article("parcel-left-with-neighbour", "Lost parcel claims", "Report a parcel the courier marked delivered but you never received; we open a claim."));
        time.Advance(TimeSpan.FromSeconds(1));
        var stale = await index.SearchAsync(query, includeInternal: true, limit: 5, CancellationToken.None);
        Assert.That(stale.Single(f => f.Article.Id == id).Article.Title, Is.EqualTo("Parcel left with a neighbour"), "within the interval the loaded index answers");

        time.Advance(TimeSpan.FromSeconds(2));
        var edited = await index.SearchAsync(query, includeInternal: true, limit: 5, CancellationToken.None);
        Assert.That(edited.Single(f => f.Article.Id == id).Article.Title, Is.EqualTo("Lost parcel claims"), "after it, the edit is seen");

        await repo.DeleteAsync(id, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(3));
        var deleted = await index.SearchAsync(query, includeInternal: true, limit: 5, CancellationToken.None);
        Assert.That(deleted.Select(f => f.Article.Id), Does.Not.Contain(id), "and the delete");
    }

    /// <summary>A clock the test moves by hand (only the index's staleness check reads it).</summary>
    private sealed class ManualTime : TimeProvider
    {
        private long ticks = 1;

        public void Advance(TimeSpan by) => ticks += (long)(by.TotalSeconds * TimestampFrequency);

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => ticks;
    }
}
