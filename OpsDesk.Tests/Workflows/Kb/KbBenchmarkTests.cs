using System.Diagnostics;
using Microsoft.Extensions.Options;
using OpsDesk.Db.Kb;
using OpsDesk.Tests.Support;
using OpsDesk.Tests.Workflows.Triage.Classifiers;
using OpsDesk.Workflows.Kb;
using OpsDesk.Workflows.Triage.Classifiers.Local;

namespace OpsDesk.Tests.Workflows.Kb;

/// <summary>
/// Knowledge-base and classifier costs (deploy/bench/RESULTS.md, "Knowledge base"); run on demand, never in
/// the default suite: <c>dotnet test OpsDesk.Tests -c Release --filter FullyQualifiedName~KbBenchmarkTests --logger "console;verbosity=detailed"</c>.
/// </summary>
[Category("Benchmark")]
[Explicit("Benchmark: run with --filter Category=Benchmark")]
public sealed class KbBenchmarkTests
{
    /// <summary>Vectors per article in the synthetic indexes (the starter articles average about five chunks).</summary>
    private const int ChunksPerArticle = 5;

    [Test]
    public async Task Embeddings_per_second_with_MiniLM()
    {
        var texts = LabelledTicket.Load().Select(t => t.Subject + ". " + t.Description).ToArray();
        await KbTestData.Embeddings.EmbedAsync(texts[..8], CancellationToken.None); // load the model
        var stopwatch = Stopwatch.StartNew();
        var done = 0;
        for (var round = 0; round < 3; round++)
        {
            foreach (var text in texts)
            {
                await KbTestData.Embeddings.EmbedAsync([text], CancellationToken.None);
                done++;
            }
        }

        stopwatch.Stop();
        TestContext.Out.WriteLine($"MiniLM, one text per call: {done / stopwatch.Elapsed.TotalSeconds:F1} embeddings/s ({done} texts)");
        stopwatch.Restart();
        await KbTestData.Embeddings.EmbedAsync(texts, CancellationToken.None);
        TestContext.Out.WriteLine($"MiniLM, batch of {texts.Length}: {texts.Length / stopwatch.Elapsed.TotalSeconds:F1} embeddings/s");
        Assert.That(done, Is.EqualTo(texts.Length * 3));
    }

    [TestCase(10_000)]
    [TestCase(100_000)]
    public async Task Vector_search_p99(int articles)
    {
        var random = new Random(42);
        var rows = new List<KbChunkVector>(articles * ChunksPerArticle);
        for (var a = 0; a < articles; a++)
        {
            for (var c = 0; c < ChunksPerArticle; c++)
            {
                var v = new float[384];
                for (var i = 0; i < v.Length; i++)
                    v[i] = (float)((random.NextDouble() * 2) - 1);
                rows.Add(new KbChunkVector(a + 1, "a" + a, "Article " + a, KbVisibility.Public, c, Vectors.Normalize(v)));
            }
        }

        var options = Options.Create(new KbOptions { IndexRefreshSeconds = 3600 });
        using var index = new KbVectorIndex(new KbRepository(TestDatabase.DataSource), KbTestData.Embeddings, options, new FrozenTime());
        index.Load(rows);
        var queries = LabelledTicket.Load().Select(t => KbTestData.Embeddings.Embed([t.Subject + ". " + t.Description])[0]).ToArray();
        for (var i = 0; i < 20; i++)
            await index.SearchAsync(queries[i % queries.Length], true, KbRetriever.Candidates, CancellationToken.None);

        var times = new List<double>();
        for (var i = 0; i < 300; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            await index.SearchAsync(queries[i % queries.Length], true, KbRetriever.Candidates, CancellationToken.None);
            times.Add(stopwatch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        TestContext.Out.WriteLine($"{articles} articles × {ChunksPerArticle} chunks: vector search p50 {times[150]:F2} ms, p99 {times[296]:F2} ms, max {times[^1]:F2} ms");
        Assert.That(times, Has.Count.EqualTo(300));
    }

    [Test]
    public void Hybrid_classifier_p99_per_ticket_and_peak_rss()
    {
        var classifier = new HybridLocalClassifier(KbTestData.Embeddings);
        var tickets = LabelledTicket.Load().Concat(LabelledTicket.Load(LabelledTicket.HoldoutSet)).Select((t, i) => t.ToTicket(i + 1)).ToArray();
        var first = Stopwatch.StartNew();
        classifier.Classify(tickets[0]); // loads MiniLM and the classifier's stored weights
        TestContext.Out.WriteLine($"hybrid classifier: first ticket (loading) {first.Elapsed.TotalMilliseconds:F0} ms");
        var times = new List<double>();
        for (var round = 0; round < 3; round++)
        {
            foreach (var t in tickets)
            {
                var stopwatch = Stopwatch.StartNew();
                classifier.Classify(t);
                times.Add(stopwatch.Elapsed.TotalMilliseconds);
            }
        }

        times.Sort();
        var p99 = times[(int)Math.Ceiling(times.Count * 0.99) - 1];
        using var process = Process.GetCurrentProcess();
        TestContext.Out.WriteLine($"hybrid classifier: p50 {times[times.Count / 2]:F2} ms, p99 {p99:F2} ms per ticket ({times.Count} tickets); peak RSS of this process with the model loaded: {process.PeakWorkingSet64 / (1024 * 1024)} MiB");
        Assert.That(times, Has.Count.EqualTo(tickets.Length * 3));
    }

    /// <summary>A clock that never moves, so the index never reloads from the database during the measurement.</summary>
    private sealed class FrozenTime : TimeProvider
    {
        public override long GetTimestamp() => 0;
    }
}
