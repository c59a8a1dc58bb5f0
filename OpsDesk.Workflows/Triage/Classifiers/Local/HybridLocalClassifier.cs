using System.Reflection;
using System.Text.Json;
using OpsDesk.Db.Tickets;
using OpsDesk.Workflows.Kb;

namespace OpsDesk.Workflows.Triage.Classifiers.Local;

/// <summary>
/// The offline classifier: the lexicon (<see cref="LocalTicketClassifier"/>) plus meaning from
/// all-MiniLM-L6-v2. Two small linear heads (<see cref="SoftmaxRegression"/>) trained on the hand-written
/// examples in <c>training-examples.json</c> and the development pool (the labelled sets measured before), and
/// those tickets' nearest neighbours:
/// - Category: a head on the ticket's embedding and the lexicon's normalised category scores.
/// - Priority: a head on the embedding, the lexicon's category scores, its priority cues (fraud, takeover,
///   outage, debited, failed, duplicate, locked out, OTP not arriving, question, feedback, problem words, many
///   people affected…) and the lexicon's own priority.
/// - The 5 nearest training tickets' similarity-weighted votes are mixed into both heads' probabilities (30 %).
/// - The priority is the level with the least expected cost, a level off by two or more costing twice one
///   off by one (so when P0 and P2/P3 are both likely, P1 tends to win).
/// - The lexicon's deterministic P0 signals (outage, fraud, takeover) decide when they fire; since local-v5 its
///   P1 signals (money debited but failed, duplicate charge, locked out, OTP blocking a login or payment) are
///   features of the priority head only (the folds' predictions chose that on the 564-ticket pool).
/// The weights and the training tickets' embeddings ship in <c>classifier-weights.json</c> (no training at start).
/// Entities, language, sentiment and summary are the lexicon's. Thread-safe; deterministic for a model.
/// </summary>
public sealed class HybridLocalClassifier : ITicketClassifier
{
    public const string ModelName = "lexicon+all-MiniLM-L6-v2";
    public const string PromptVersion = "local-v5";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly MiniLmEmbeddingService embeddings;
    private readonly Lazy<HybridModel> model;

    public HybridLocalClassifier(MiniLmEmbeddingService embeddings)
        : this(embeddings, HybridModelOptions.Default)
    {
    }

    internal HybridLocalClassifier(MiniLmEmbeddingService embeddings, HybridModelOptions options)
    {
        this.embeddings = embeddings;
        model = new(() => Load(embeddings, options), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>
    /// The shipped weights (classifier-weights.json) when they were trained from the shipped examples and pool with
    /// these options; otherwise the heads are trained now (a few seconds: every training ticket is embedded first).
    /// </summary>
    private static HybridModel Load(MiniLmEmbeddingService embeddings, HybridModelOptions options)
    {
        var stored = StoredWeights();
        return stored.Key == WeightsKey(options)
            ? HybridModel.FromWeights(stored, options)
            : HybridModel.Train(Embed(embeddings, TrainingExamples()), options);
    }

    /// <summary>
    /// What the weights depend on: the embedding model, the training files (SHA-256 of their texts, LF line endings) and the options. Stored in
    /// classifier-weights.json; a test fails when it is stale.
    /// </summary>
    internal static string WeightsKey(HybridModelOptions options)
    {
        // Line endings normalised, so a checkout with CRLF keeps the same key.
        var text = string.Concat(new[] { TrainingResource }.Concat(PoolSets.Select(PoolResource)).Select(name =>
        {
            using var reader = new StreamReader(Resource(name));
            return reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
        }));
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
        return $"{MiniLmEmbeddingService.ModelName};{hash};{options.Describe()}";
    }

    internal static HybridWeights StoredWeights()
    {
        using var stream = Resource(WeightsResource);
        return JsonSerializer.Deserialize<HybridWeights>(stream, Json) ?? throw new InvalidOperationException("classifier-weights.json is empty.");
    }

    internal const string WeightsFile = "OpsDesk.Workflows/Triage/Classifiers/Local/classifier-weights.json";

    private const string TrainingResource = "OpsDesk.Workflows.training-examples.json";
    private const string WeightsResource = "OpsDesk.Workflows.classifier-weights.json";

    private static Stream Resource(string name) => Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
        ?? throw new InvalidOperationException($"{name} is not embedded in the assembly.");

    public string Provider => LocalTicketClassifier.ProviderName;

    public Task<Classification> ClassifyAsync(TicketText ticket, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(Classify(ticket));
    }

    public Classification Classify(TicketText ticket)
    {
        var lexicon = LocalTicketClassifier.Analyze(ticket);
        var vector = embeddings.Embed([Text(ticket.Subject, ticket.Description)])[0];
        return model.Value.Classify(lexicon, vector);
    }

    /// <summary>The text that is embedded for a ticket.</summary>
    internal static string Text(string subject, string description) => subject.Trim() + ". " + description.Trim();

    /// <summary>
    /// The development pool: the labelled sets measured before (OpsDesk.Tests/Fixtures/triage, linked into the
    /// assembly), trained on since local-v4 (holdout4 since local-v5). A blind set joins only after its one measurement.
    /// </summary>
    internal static readonly string[] PoolSets = ["labelled-tickets.json", "holdout-tickets.json", "holdout2-tickets.json", "holdout3-tickets.json", "holdout4-tickets.json"];

    /// <summary>What the shipped heads and neighbours are trained on: the hand-written examples and the whole pool.</summary>
    internal static IReadOnlyList<LabelledExample> TrainingExamples() => [.. HandWrittenExamples(), .. PoolSets.SelectMany(PoolTickets)];

    /// <summary>The hand-written examples shipped in the assembly (training-examples.json); none is a pool ticket (a test checks).</summary>
    internal static IReadOnlyList<LabelledExample> HandWrittenExamples() => Read(TrainingResource);

    /// <summary>One set of the development pool.</summary>
    internal static IReadOnlyList<LabelledExample> PoolTickets(string set) => Read(PoolResource(set));

    private static string PoolResource(string set) => "OpsDesk.Workflows.pool." + set;

    private static LabelledExample[] Read(string resource)
    {
        using var stream = Resource(resource);
        var file = JsonSerializer.Deserialize<ExampleFile>(stream, Json) ?? throw new InvalidOperationException($"{resource} is empty.");
        return file.Tickets;
    }

    /// <summary>Lexicon analysis and embedding of each example (one batch call to the model).</summary>
    internal static IReadOnlyList<EmbeddedExample> Embed(MiniLmEmbeddingService embeddings, IReadOnlyList<LabelledExample> examples)
    {
        var vectors = embeddings.Embed(examples.Select(t => Text(t.Subject, t.Description)).ToList());
        return examples.Select((t, i) => new EmbeddedExample(
                LocalTicketClassifier.Analyze(new TicketText(0, t.Subject, t.Description, t.Source)),
                vectors[i],
                IndexOf(Categories.All, t.Category),
                IndexOf(Priorities.All, t.Priority)))
            .ToArray();
    }

    private static int IndexOf(IReadOnlyList<string> values, string value)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] == value)
                return i;
        }

        throw new InvalidOperationException($"training-examples.json: '{value}' is not one of {string.Join(", ", values)}.");
    }

    internal sealed record LabelledExample(string Subject, string Description, string Source, string Category, string Priority);

    private sealed record ExampleFile(LabelledExample[] Tickets);
}

/// <summary>A labelled ticket with its lexicon analysis and embedding; labels are indexes into Categories.All / Priorities.All.</summary>
internal sealed record EmbeddedExample(LexiconAnalysis Lexicon, float[] Vector, int Category, int Priority);

/// <summary>
/// The trained heads as stored in classifier-weights.json ([class][feature], the bias last) and the
/// examples' embeddings for the neighbour vote, each quantised to signed bytes (base64) with its scale.
/// </summary>
internal sealed record HybridWeights(string Key, double[][] Category, double[][] Priority, StoredNeighbour[] Neighbours);

internal sealed record StoredNeighbour(int Category, int Priority, float Scale, string Vector);

/// <summary>Knobs of <see cref="HybridModel"/>; <see cref="Default"/> is what ships (chosen by cross-validation, see the README).</summary>
/// <param name="EmbeddingScale">Factor on the (unit-length) embedding in the heads' features.</param>
/// <param name="LexiconScale">Factor on the lexicon's features.</param>
/// <param name="OverrideThrough">The lexicon's priority decides when it is this level or more urgent (0: P0 signals only; -1: never).</param>
/// <param name="ForeignToLexicon">Spanish, French, German, Portuguese and Devanagari text (which the English embedding model cannot read) go by the lexicon alone.</param>
/// <param name="Neighbours">Nearest examples whose similarity-weighted votes are mixed into both heads' probabilities (0: none).</param>
/// <param name="NeighbourWeight">Share of the neighbours' votes in the priority mix.</param>
/// <param name="CategoryNeighbourWeight">Share of the neighbours' votes in the category mix (since local-v5 a knob of its own).</param>
/// <param name="TwoLevelCost">
/// The priority is the level with the least expected cost, where a level off by one costs 1 and one off by two or
/// more costs this (1: the most likely level; more: when P0 and P2/P3 are both likely, the level between wins).
/// </param>
internal sealed record HybridModelOptions(
    double EmbeddingScale = 2,
    double LexiconScale = 1,
    double L2 = 1e-4,
    int Epochs = 150,
    double LearningRate = 0.5,
    int OverrideThrough = 0,
    bool ForeignToLexicon = true,
    int Neighbours = 5,
    double NeighbourWeight = 0.3,
    double TwoLevelCost = 2,
    double CategoryNeighbourWeight = 0.6)
{
    public static readonly HybridModelOptions Default = new();

    /// <summary>The knobs as invariant text (part of the weights' key).</summary>
    public string Describe() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"emb={EmbeddingScale},lex={LexiconScale},l2={L2},epochs={Epochs},lr={LearningRate},through={OverrideThrough},foreign={ForeignToLexicon},k={Neighbours},wk={NeighbourWeight},cost2={TwoLevelCost},wkc={CategoryNeighbourWeight}");
}

/// <summary>The two trained heads, the neighbours and the rules around them.</summary>
internal sealed class HybridModel
{
    private readonly SoftmaxRegression category;
    private readonly SoftmaxRegression priority;
    private readonly Neighbour[] neighbours;
    private readonly HybridModelOptions options;

    private HybridModel(SoftmaxRegression category, SoftmaxRegression priority, Neighbour[] neighbours, HybridModelOptions options)
    {
        this.category = category;
        this.priority = priority;
        this.neighbours = neighbours;
        this.options = options;
    }

    public static HybridModel Train(IReadOnlyList<EmbeddedExample> examples, HybridModelOptions options)
    {
        var categoryHead = SoftmaxRegression.Train(
            examples.Select(e => CategoryFeatures(e.Lexicon, e.Vector, options)).ToList(),
            examples.Select(e => e.Category).ToList(),
            Categories.All.Count, options.L2, options.Epochs, options.LearningRate);
        var priorityHead = SoftmaxRegression.Train(
            examples.Select(e => PriorityFeatures(e.Lexicon, e.Vector, options)).ToList(),
            examples.Select(e => e.Priority).ToList(),
            Priorities.All.Count, options.L2, options.Epochs, options.LearningRate);

        // The neighbours go through the same quantisation as the stored ones, so a loaded model equals a trained one.
        var stored = examples.Select(e => Quantise(e.Vector, e.Category, e.Priority)).ToArray();
        return new HybridModel(categoryHead, priorityHead, [.. stored.Select(Dequantise)], options);
    }

    public static HybridModel FromWeights(HybridWeights weights, HybridModelOptions options) =>
        new(new SoftmaxRegression(weights.Category), new SoftmaxRegression(weights.Priority), [.. weights.Neighbours.Select(Dequantise)], options);

    /// <summary>The same heads with other decision knobs (those that do not change training).</summary>
    public HybridModel With(HybridModelOptions decision) => new(category, priority, neighbours, decision);

    public HybridWeights ToWeights(string key) =>
        new(key, category.Weights(), priority.Weights(), [.. neighbours.Select(n => Quantise(n.Vector, n.Category, n.Priority))]);

    public Classification Classify(LexiconAnalysis lexicon, float[] vector)
    {
        var (categoryIndex, confidence, priorityIndex) = Predict(lexicon, vector);
        return lexicon.Classification with
        {
            Category = Categories.All[categoryIndex],
            Priority = Priorities.All[priorityIndex],
            Confidence = confidence,
            Model = HybridLocalClassifier.ModelName,
            PromptVersion = HybridLocalClassifier.PromptVersion,
        };
    }

    public (int Category, double Confidence, int Priority) Predict(LexiconAnalysis lexicon, float[] vector)
    {
        var lexPriority = Priorities.All.ToList().IndexOf(lexicon.Classification.Priority);
        if (options.ForeignToLexicon && Foreign(lexicon) && lexicon.CategoryScores.Sum() > 0)
            return (Categories.All.ToList().IndexOf(lexicon.Classification.Category), lexicon.Classification.Confidence, lexPriority);

        var (pc, pp) = Probabilities(lexicon, vector);
        var order = Enumerable.Range(0, pc.Length).OrderByDescending(i => pc[i]).ThenBy(i => i).ToArray();
        var confidence = Math.Round(Math.Clamp(pc[order[0]], 0.05, 0.99), 2);
        var best = lexPriority <= options.OverrideThrough ? lexPriority : LeastCost(pp);
        return (order[0], confidence, best);
    }

    /// <summary>The priority level with the least expected cost (ties: the more urgent); see <see cref="HybridModelOptions.TwoLevelCost"/>.</summary>
    private int LeastCost(double[] pp)
    {
        var (best, bestCost) = (0, double.MaxValue);
        for (var k = 0; k < pp.Length; k++)
        {
            var cost = 0.0;
            for (var j = 0; j < pp.Length; j++)
                cost += pp[j] * (Math.Abs(k - j) switch { 0 => 0, 1 => 1, _ => options.TwoLevelCost });
            if (cost < bestCost)
                (best, bestCost) = (k, cost);
        }

        return best;
    }

    /// <summary>Category and priority probabilities: the heads' with the neighbours' votes mixed in.</summary>
    public (double[] Category, double[] Priority) Probabilities(LexiconAnalysis lexicon, float[] vector)
    {
        var pc = category.Predict(CategoryFeatures(lexicon, vector, options));
        var pp = priority.Predict(PriorityFeatures(lexicon, vector, options));
        if (options.Neighbours > 0)
            MixVotes(vector, pc, pp);
        return (pc, pp);
    }

    /// <summary>Mixes the similarity-weighted votes of the nearest examples into both probability lists (each still sums to 1).</summary>
    private void MixVotes(float[] vector, double[] pc, double[] pp)
    {
        var nearest = neighbours.Select(n => (Neighbour: n, Similarity: Math.Max(Vectors.Cosine(vector, n.Vector), 0.01f)))
            .OrderByDescending(n => n.Similarity).Take(options.Neighbours).ToList();
        var total = nearest.Sum(n => (double)n.Similarity);
        var (w, wc) = (options.NeighbourWeight, options.CategoryNeighbourWeight);
        for (var i = 0; i < pc.Length; i++)
            pc[i] *= 1 - wc;
        for (var i = 0; i < pp.Length; i++)
            pp[i] *= 1 - w;
        foreach (var (n, similarity) in nearest)
        {
            pc[n.Category] += wc * similarity / total;
            pp[n.Priority] += w * similarity / total;
        }
    }

    private static StoredNeighbour Quantise(float[] vector, int category, int priority)
    {
        var max = vector.Max(Math.Abs);
        var scale = max > 0 ? max / 127f : 1f;
        var bytes = vector.Select(x => (byte)(sbyte)Math.Clamp(MathF.Round(x / scale), -127, 127)).ToArray();
        return new StoredNeighbour(category, priority, scale, Convert.ToBase64String(bytes));
    }

    private static Neighbour Dequantise(StoredNeighbour stored) =>
        new(Vectors.Normalize([.. Convert.FromBase64String(stored.Vector).Select(b => (sbyte)b * stored.Scale)]), stored.Category, stored.Priority);

    private sealed record Neighbour(float[] Vector, int Category, int Priority);

    /// <summary>
    /// Text the English embedding model cannot read: Spanish, French, German, Portuguese, or Hindi in
    /// Devanagari (Hindi in Latin script mixes in English words and is read well enough).
    /// </summary>
    private static bool Foreign(LexiconAnalysis lexicon) =>
        lexicon.Classification.Language is "es" or "fr" or "de" or "pt"
        || (lexicon.Classification.Language == "hi" && lexicon.Classification.Summary.Any(ch => ch is >= '\u0900' and <= '\u097F'));

    private static double[] CategoryFeatures(LexiconAnalysis lexicon, float[] vector, HybridModelOptions o)
    {
        var x = new double[vector.Length + Categories.All.Count];
        for (var i = 0; i < vector.Length; i++)
            x[i] = vector[i] * o.EmbeddingScale;
        var total = lexicon.CategoryScores.Sum();
        for (var i = 0; i < Categories.All.Count; i++)
            x[vector.Length + i] = total > 0 ? o.LexiconScale * lexicon.CategoryScores[i] / total : 0;
        return x;
    }

    private static double[] PriorityFeatures(LexiconAnalysis lexicon, float[] vector, HybridModelOptions o)
    {
        var cues = lexicon.CueScores;
        var x = new double[vector.Length + Categories.All.Count + cues.Length + Priorities.All.Count];
        var n = 0;
        for (var i = 0; i < vector.Length; i++)
            x[n++] = vector[i] * o.EmbeddingScale;
        var total = lexicon.CategoryScores.Sum();
        for (var i = 0; i < Categories.All.Count; i++)
            x[n++] = total > 0 ? o.LexiconScale * lexicon.CategoryScores[i] / total : 0;
        foreach (var cue in cues)
            x[n++] = cue > 0 ? o.LexiconScale : 0;
        var lexPriority = Priorities.All.ToList().IndexOf(lexicon.Classification.Priority);
        x[n + lexPriority] = o.LexiconScale;
        return x;
    }
}
