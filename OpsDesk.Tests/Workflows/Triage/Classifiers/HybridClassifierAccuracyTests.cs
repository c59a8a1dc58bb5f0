using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using OpsDesk.Db.Tickets;
using OpsDesk.Db.Triage;
using OpsDesk.Tests.Support;
using OpsDesk.Workflows.Triage;
using OpsDesk.Workflows.Triage.Classifiers.Local;
using Temporalio.Testing;

namespace OpsDesk.Tests.Workflows.Triage.Classifiers;

/// <summary>
/// Accuracy of the offline classifier (lexicon + MiniLM nearest examples) measured through the real
/// classify activity: each labelled ticket is stored in PostgreSQL and classified by
/// <see cref="TriageActivities.ClassifyTicketAsync"/>. The five sets are the development pool (measured
/// before, so no longer unseen) and, since local-v4 (holdout4 since local-v5), training data: these numbers are in-sample; the
/// cross-validated ones are in HybridClassifierCrossValidationTests.
/// Prints the confusion matrices; the floors are the measured numbers, rounded down.
/// Run: dotnet test OpsDesk.Tests --filter FullyQualifiedName~HybridClassifierAccuracyTests --logger "console;verbosity=detailed"
/// </summary>
public sealed class HybridClassifierAccuracyTests
{
    private NpgsqlDataSource db = null!;
    private TriageActivities activities = null!;

    [OneTimeSetUp]
    public async Task SetUpAsync()
    {
        db = NpgsqlDataSource.Create(await TestDatabase.CreateIsolatedDatabaseAsync());
        activities = new TriageActivities(new TriageRepository(db), new HybridLocalClassifier(KbTestData.Embeddings), NullLogger<TriageActivities>.Instance);
    }

    [OneTimeTearDown]
    public async Task DisposeAsync() => await db.DisposeAsync();

    public sealed record Accuracy(int Count, int Category, int Priority, int PriorityWithinOne, int LexiconCategory, int LexiconPriority)
    {
        public double CategoryRate => (double)Category / Count;
        public double PriorityRate => (double)Priority / Count;
        public double WithinOneRate => (double)PriorityWithinOne / Count;
    }

    private async Task<Accuracy> MeasureAsync(string set)
    {
        var tickets = LabelledTicket.Load(set);
        var repo = new TicketRepository(db);
        var env = new ActivityEnvironment();
        var categories = new Dictionary<(string, string), int>();
        var priorities = new Dictionary<(string, string), int>();
        int category = 0, priority = 0, withinOne = 0, lexiconCategory = 0, lexiconPriority = 0;
        foreach (var t in tickets)
        {
            var id = (await repo.InsertAsync(new NewTicket(t.Subject, t.Description, t.Source, null, null, null))).Ticket.Id;
            var result = await env.RunAsync(() => activities.ClassifyTicketAsync(id));
            categories[(t.Category, result.Category)] = categories.GetValueOrDefault((t.Category, result.Category)) + 1;
            priorities[(t.Priority, result.Priority)] = priorities.GetValueOrDefault((t.Priority, result.Priority)) + 1;
            var lexicon = LocalTicketClassifier.Classify(t.ToTicket(id));
            lexiconCategory += lexicon.Category == t.Category ? 1 : 0;
            lexiconPriority += lexicon.Priority == t.Priority ? 1 : 0;
            category += result.Category == t.Category ? 1 : 0;
            priority += result.Priority == t.Priority ? 1 : 0;
            withinOne += Math.Abs(t.Priority[1] - result.Priority[1]) <= 1 ? 1 : 0;
        }

        var accuracy = new Accuracy(tickets.Count, category, priority, withinOne, lexiconCategory, lexiconPriority);
        TestContext.Out.WriteLine($"{set}: category {category}/{tickets.Count} = {accuracy.CategoryRate:P1}, priority {priority}/{tickets.Count} = {accuracy.PriorityRate:P1}, within one {withinOne}/{tickets.Count} = {accuracy.WithinOneRate:P1}");
        TestContext.Out.WriteLine($"  (the lexicon alone: category {lexiconCategory}/{tickets.Count}, priority {lexiconPriority}/{tickets.Count})");
        TestContext.Out.WriteLine(Matrix("category (rows: label, columns: predicted)", Categories.All, categories));
        TestContext.Out.WriteLine(Matrix("priority (rows: label, columns: predicted)", Priorities.All, priorities));
        return accuracy;
    }

    internal static string Matrix(string title, IReadOnlyList<string> labels, Dictionary<(string, string), int> counts)
    {
        var sb = new StringBuilder().AppendLine(title);
        var width = labels.Max(l => l.Length) + 1;
        sb.Append(new string(' ', width));
        foreach (var l in labels)
            sb.Append(l.PadLeft(width));
        sb.AppendLine();
        foreach (var row in labels)
        {
            sb.Append(row.PadRight(width));
            foreach (var col in labels)
                sb.Append(counts.GetValueOrDefault((row, col)).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width));
            sb.AppendLine();
        }

        return sb.ToString();
    }

    /// <summary>The set's size, the floors, and that the classifier beats the lexicon alone on both heads.</summary>
    private static void AssertFloors(Accuracy a, int count, double category, double priority, double withinOne)
    {
        Assert.That(a.Count, Is.EqualTo(count));
        Assert.Multiple(() =>
        {
            Assert.That(a.CategoryRate, Is.GreaterThanOrEqualTo(category));
            Assert.That(a.PriorityRate, Is.GreaterThanOrEqualTo(priority));
            Assert.That(a.WithinOneRate, Is.GreaterThanOrEqualTo(withinOne));
            Assert.That(a.Category, Is.GreaterThan(a.LexiconCategory));
            Assert.That(a.Priority, Is.GreaterThan(a.LexiconPriority));
        });
    }

    // Floors: the measured numbers (README, Local classifier), rounded down. All five sets are the development
    // pool, and since local-v4 (holdout4 since local-v5) the shipped heads and neighbours are trained on them, so
    // these numbers are in-sample: they guard the shipped classifier, through the real activity, against going back.
    // The honest estimates are the cross-validated ones (HybridClassifierCrossValidationTests).
    // holdout3 was the blind set of local-v3 (written blind, committed in 80e69f0, measured once: category 94.2 %,
    // priority 83.8 %, within one 96.5 %; see the README). Since then it is part of the pool and trained on.
    // holdout4 was the blind set of local-v4: written blind by an engineer who read only TriagePrompt's definitions,
    // committed on its own branch (4f23693) while local-v4 was built by another who never saw it, then measured once
    // on the frozen local-v4 (2026-12-07, 156857e): category 208/220 = 94.5 %, priority 186/220 = 84.5 %, within one
    // 216/220 = 98.2 %; the lexicon alone 188/220 and 150/220. Since local-v5 it is part of the pool and trained on.
    // holdout5 is the held-out set of local-v5: written blind by an engineer who read only TriagePrompt's definitions
    // (not the classifier, its lexicon, its examples, the other sets or the README), committed on its own branch
    // (741a509) while local-v5 was built by another who never saw it, added after local-v5 was frozen, then measured
    // once. Not a training file (OpsDesk.Workflows.csproj lists the pool files by name). Never tune on it.
    [Test]
    public async Task Holdout5_written_blind_and_never_tuned_on()
    {
        var a = await MeasureAsync("holdout5-tickets.json");
        // Measured once (2026-12-07): category 230/240 = 95.8 %, priority 211/240 = 87.9 %, within one 237/240 = 98.8 %;
        // the lexicon alone 209/240 and 173/240. Floors: those numbers rounded down (issue 18's targets: 0.95, 0.80, 0.98).
        AssertFloors(a, 240, 0.95, 0.87, 0.98);
    }

    // In-sample since the version named (holdout4 since local-v5, holdout3 since local-v4, holdout2 since local-v4).
    // holdout2: 71/71 on all three measured (local-v5); one ticket of slack for the embedding model's float noise.
    [TestCase("holdout4-tickets.json", 220, 0.97, 0.95, 0.99, TestName = "Holdout4_in_sample_since_local_v5")]
    [TestCase("holdout3-tickets.json", 173, 0.98, 0.95, 0.99, TestName = "Holdout3_in_sample_since_local_v4")]
    [TestCase("holdout2-tickets.json", 71, 0.98, 0.98, 0.98, TestName = "Holdout2_beats_the_lexicon_alone")]
    public async Task Pool_set_keeps_its_floors(string set, int count, double category, double priority, double withinOne) =>
        AssertFloors(await MeasureAsync(set), count, category, priority, withinOne);

    [Test]
    public async Task Holdout_set()
    {
        var a = await MeasureAsync(LabelledTicket.HoldoutSet);
        Assert.Multiple(() =>
        {
            // 30/30, 27/30, 30/30 measured (local-v5); one ticket of slack for the embedding model's float noise on other CPUs.
            Assert.That(a.CategoryRate, Is.GreaterThanOrEqualTo(0.96));
            Assert.That(a.PriorityRate, Is.GreaterThanOrEqualTo(0.86));
            Assert.That(a.WithinOneRate, Is.GreaterThanOrEqualTo(0.96));
        });
    }

    [Test]
    public async Task Development_set()
    {
        var a = await MeasureAsync(LabelledTicket.DevelopmentSet);
        Assert.Multiple(() =>
        {
            // 70/70 and 68/70 measured (local-v5); one ticket of slack for category.
            Assert.That(a.CategoryRate, Is.GreaterThanOrEqualTo(0.98));
            Assert.That(a.PriorityRate, Is.GreaterThanOrEqualTo(0.97));
        });
    }
}
