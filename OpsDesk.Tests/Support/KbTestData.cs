using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using OpsDesk.Db.Kb;
using OpsDesk.Tests.Deploy;
using OpsDesk.Worker.Commands.Kb;
using OpsDesk.Workflows.Kb;

namespace OpsDesk.Tests.Support;

/// <summary>The starter articles (deploy/kb/articles) imported and embedded with the real MiniLM model, and the real retriever over them.</summary>
public static class KbTestData
{
    private static readonly Lazy<MiniLmEmbeddingService> Model = new(() => new MiniLmEmbeddingService());

    /// <summary>One MiniLM per test run (loading it takes a few seconds).</summary>
    public static MiniLmEmbeddingService Embeddings => Model.Value;

    /// <summary>Imports every starter article (as <c>opsdesk kb import</c> does) and embeds it (as the embedding activity does).</summary>
    public static async Task<IReadOnlyList<KbArticleRow>> ImportStarterSetAsync(NpgsqlDataSource db)
    {
        var (inputs, problems) = await KbImportCommand.ReadAsync(new DirectoryInfo(RepoFiles.Path("deploy/kb/articles")), CancellationToken.None);
        Assert.That(problems, Is.Empty);
        var repo = new KbRepository(db);
        var activities = new KbActivities(repo, Embeddings, NullLogger<KbActivities>.Instance);
        var rows = new List<KbArticleRow>();
        foreach (var input in inputs)
        {
            var article = (await repo.UpsertBySlugAsync(input, CancellationToken.None)).Article!;
            await activities.EmbedArticleAsync(new KbEmbedInput(article.Id, article.Version));
            rows.Add(article);
        }

        return rows;
    }

    public static KbRetriever Retriever(NpgsqlDataSource db, KbOptions? options = null)
    {
        var repo = new KbRepository(db);
        var o = Options.Create(options ?? new KbOptions());
        return new KbRetriever(repo, new KbVectorIndex(repo, Embeddings, o, TimeProvider.System), Embeddings, o, NullLogger<KbRetriever>.Instance);
    }
}
