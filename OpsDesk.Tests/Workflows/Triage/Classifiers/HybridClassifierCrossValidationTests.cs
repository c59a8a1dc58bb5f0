using System.Text.Json;
using OpsDesk.Db.Tickets;
using OpsDesk.Tests.Deploy;
using OpsDesk.Tests.Support;
using OpsDesk.Workflows.Triage.Classifiers;
using OpsDesk.Workflows.Triage.Classifiers.Local;

namespace OpsDesk.Tests.Workflows.Triage.Classifiers;

/// <summary>
/// Generalisation of the offline classifier on the development pool (labelled, holdout and holdout2: 171
/// tickets, all measured before, so no longer unseen). The heads are trained on training-examples.json only;
/// no pool ticket is ever a training example. The knobs (<see cref="HybridModelOptions"/>) are the only thing
/// chosen on the pool, so they are chosen by 5-fold cross-validation: for each fold the grid entry that does
/// best on the other four folds is measured on the held-out fold. Also checks that the shipped weights
/// (classifier-weights.json) are the ones the shipped examples and options train.
/// Run: dotnet test OpsDesk.Tests --filter FullyQualifiedName~HybridClassifierCrossValidationTests --logger "console;verbosity=detailed"
/// Regenerate the weights after changing the examples or the options:
/// OPSDESK_UPDATE_CLASSIFIER_WEIGHTS=1 dotnet test OpsDesk.Tests --filter FullyQualifiedName~Stored_weights_are_current
/// </summary>
public sealed class HybridClassifierCrossValidationTests
{
    private const int Folds = 5;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly string[] PoolSets = [LabelledTicket.DevelopmentSet, LabelledTicket.HoldoutSet, "holdout2-tickets.json"];

    /// <summary>The grid the folds choose from; <see cref="HybridModelOptions.Default"/> is one of them.</summary>
    private static readonly HybridModelOptions[] Grid =
    [
        .. from embedding in new[] { 2.0, 4, 8 }
           from lexicon in new[] { 1.0, 2 }
           from l2 in new[] { 1e-4, 1e-3 }
           select new HybridModelOptions(EmbeddingScale: embedding, LexiconScale: lexicon, L2: l2),
    ];

    private static IReadOnlyList<EmbeddedExample> training = null!;
    private static IReadOnlyList<EmbeddedExample> pool = null!;

    [OneTimeSetUp]
    public void Embed()
    {
        training = HybridLocalClassifier.Embed(KbTestData.Embeddings, HybridLocalClassifier.TrainingExamples());
        pool = HybridLocalClassifier.Embed(KbTestData.Embeddings, [.. PoolSets.SelectMany(LabelledTicket.Load)
            .Select(t => new HybridLocalClassifier.LabelledExample(t.Subject, t.Description, t.Source, t.Category, t.Priority))]);
    }

    [Test]
    public void Five_fold_cross_validation_over_the_development_pool()
    {
        Assert.That(Grid, Does.Contain(HybridModelOptions.Default));
        var poolTexts = PoolSets.SelectMany(LabelledTicket.Load).Select(t => t.Description.Trim().ToLowerInvariant()).ToHashSet();
        Assert.That(HybridLocalClassifier.TrainingExamples().Where(t => poolTexts.Contains(t.Description.Trim().ToLowerInvariant())), Is.Empty,
            "a development-pool ticket is among the training examples");

        // The heads never see the pool, so each grid entry is trained once and predicts every pool ticket.
        var predictions = Grid.Select(o =>
        {
            var model = HybridModel.Train(training, o);
            return pool.Select(e => model.Predict(e.Lexicon, e.Vector)).Select(p => (p.Category, p.Priority)).ToArray();
        }).ToArray();

        int Score(int g, IEnumerable<int> tickets) =>
            tickets.Sum(i => (predictions[g][i].Category == pool[i].Category ? 1 : 0) + (predictions[g][i].Priority == pool[i].Priority ? 1 : 0));

        var categories = new Dictionary<(string, string), int>();
        var priorities = new Dictionary<(string, string), int>();
        int category = 0, priority = 0, withinOne = 0;
        for (var fold = 0; fold < Folds; fold++)
        {
            var held = Enumerable.Range(0, pool.Count).Where(i => i % Folds == fold).ToList();
            var rest = Enumerable.Range(0, pool.Count).Where(i => i % Folds != fold).ToList();
            var chosen = Enumerable.Range(0, Grid.Length).OrderByDescending(g => Score(g, rest)).ThenBy(g => g).First();
            TestContext.Out.WriteLine($"fold {fold}: {held.Count} tickets, chosen on the other folds: {Grid[chosen].Describe()}");
            foreach (var i in held)
            {
                var (c, p) = predictions[chosen][i];
                var (label, pl) = (Categories.All[pool[i].Category], Priorities.All[pool[i].Priority]);
                categories[(label, Categories.All[c])] = categories.GetValueOrDefault((label, Categories.All[c])) + 1;
                priorities[(pl, Priorities.All[p])] = priorities.GetValueOrDefault((pl, Priorities.All[p])) + 1;
                category += c == pool[i].Category ? 1 : 0;
                priority += p == pool[i].Priority ? 1 : 0;
                withinOne += Math.Abs(p - pool[i].Priority) <= 1 ? 1 : 0;
            }
        }

        var n = pool.Count;
        TestContext.Out.WriteLine($"5-fold CV over the development pool ({n} tickets, {training.Count} training examples): category {category}/{n} = {(double)category / n:P1}, priority {priority}/{n} = {(double)priority / n:P1}, within one {withinOne}/{n} = {(double)withinOne / n:P1}");
        TestContext.Out.WriteLine(HybridClassifierAccuracyTests.Matrix("category (rows: label, columns: predicted)", Categories.All, categories));
        TestContext.Out.WriteLine(HybridClassifierAccuracyTests.Matrix("priority (rows: label, columns: predicted)", Priorities.All, priorities));
        var d = Array.IndexOf(Grid, HybridModelOptions.Default);
        TestContext.Out.WriteLine($"(the shipped options on the whole pool, chosen on it, optimistic: category {Enumerable.Range(0, n).Count(i => predictions[d][i].Category == pool[i].Category)}/{n}, priority {Enumerable.Range(0, n).Count(i => predictions[d][i].Priority == pool[i].Priority)}/{n})");

        // Floors: the measured numbers (README, Local classifier), rounded down.
        Assert.Multiple(() =>
        {
            Assert.That((double)category / n, Is.GreaterThanOrEqualTo(0.90));
            Assert.That((double)priority / n, Is.GreaterThanOrEqualTo(0.86));
            Assert.That((double)withinOne / n, Is.GreaterThanOrEqualTo(0.97));
        });
    }

    [Test]
    public void Stored_weights_are_current()
    {
        var options = HybridModelOptions.Default;
        var key = HybridLocalClassifier.WeightsKey(options);
        var trained = HybridModel.Train(training, options).ToWeights(key);
        if (Environment.GetEnvironmentVariable("OPSDESK_UPDATE_CLASSIFIER_WEIGHTS") == "1")
        {
            File.WriteAllText(RepoFiles.Path(HybridLocalClassifier.WeightsFile), JsonSerializer.Serialize(trained, Json) + "\n");
            TestContext.Out.WriteLine($"wrote {HybridLocalClassifier.WeightsFile}; rebuild to embed it");
            return;
        }

        var stored = HybridLocalClassifier.StoredWeights();
        Assert.That(stored.Key, Is.EqualTo(key), "classifier-weights.json is stale: regenerate it (see this class's summary)");

        // Retraining gives the same weights, up to the embedding model's float noise on this CPU.
        var difference = stored.Category.Zip(trained.Category).Concat(stored.Priority.Zip(trained.Priority))
            .SelectMany(rows => rows.First.Zip(rows.Second, (a, b) => Math.Abs(a - b))).Max();
        Assert.That(difference, Is.LessThan(1e-3));
    }
}
