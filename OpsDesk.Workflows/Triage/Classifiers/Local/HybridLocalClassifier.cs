using System.Reflection;
using System.Text.Json;
using OpsDesk.Db.Tickets;
using OpsDesk.Workflows.Kb;

namespace OpsDesk.Workflows.Triage.Classifiers.Local;

/// <summary>
/// The offline classifier: the lexicon (<see cref="LocalTicketClassifier"/>) plus meaning from
/// all-MiniLM-L6-v2. Two small linear heads (<see cref="SoftmaxRegression"/>) are trained at first use on
/// the labelled examples shipped in <c>training-examples.json</c>:
/// - Category: the ticket's embedding and the lexicon's normalised category scores.
/// - Priority: the embedding, the lexicon's category scores and its priority cues (fraud, takeover,
///   outage, debited, failed, duplicate, locked out, OTP not arriving, question, feedback, problem words…)
///   and the lexicon's own priority. The lexicon's deterministic P0 signals (outage, fraud, takeover) stay.
/// Entities, language, sentiment and summary are the lexicon's. Thread-safe; deterministic for a model.
/// </summary>
public sealed class HybridLocalClassifier : ITicketClassifier
{
    public const string ModelName = "lexicon+all-MiniLM-L6-v2";
    public const string PromptVersion = "local-v3";

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
    /// The shipped weights (classifier-weights.json) when they were trained from the shipped examples with these
    /// options; otherwise the heads are trained now (a few seconds: every example is embedded first).
    /// </summary>
    private static HybridModel Load(MiniLmEmbeddingService embeddings, HybridModelOptions options)
    {
        var stored = StoredWeights();
        return stored.Key == WeightsKey(options)
            ? HybridModel.FromWeights(stored, options)
            : HybridModel.Train(Embed(embeddings, TrainingExamples()), options);
    }

    /// <summary>
    /// What the weights depend on: the embedding model, the training file (SHA-256) and the options. Stored in
    /// classifier-weights.json; a test fails when it is stale.
    /// </summary>
    internal static string WeightsKey(HybridModelOptions options)
    {
        using var stream = Resource(TrainingResource);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
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

    /// <summary>The labelled examples shipped in the assembly (training-examples.json).</summary>
    internal static IReadOnlyList<LabelledExample> TrainingExamples()
    {
        using var stream = Resource(TrainingResource);
        var file = JsonSerializer.Deserialize<ExampleFile>(stream, Json) ?? throw new InvalidOperationException("training-examples.json is empty.");
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

/// <summary>The trained heads as stored in classifier-weights.json ([class][feature], the bias last).</summary>
internal sealed record HybridWeights(string Key, double[][] Category, double[][] Priority);

/// <summary>Knobs of <see cref="HybridModel"/>; <see cref="Default"/> is what ships (chosen by cross-validation, see the README).</summary>
internal sealed record HybridModelOptions(
    double EmbeddingScale = 2,
    double LexiconScale = 1,
    double L2 = 1e-4,
    int Epochs = 150,
    double LearningRate = 0.5,
    bool SignalOverride = true,
    bool ExpectedPriority = false,
    bool BalanceClasses = false)
{
    public static readonly HybridModelOptions Default = new();

    /// <summary>The knobs as invariant text (part of the weights' key).</summary>
    public string Describe() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"emb={EmbeddingScale},lex={LexiconScale},l2={L2},epochs={Epochs},lr={LearningRate},override={SignalOverride},expected={ExpectedPriority},balance={BalanceClasses}");
}

/// <summary>The two trained heads and the rules around them.</summary>
internal sealed class HybridModel
{
    private readonly SoftmaxRegression category;
    private readonly SoftmaxRegression priority;
    private readonly HybridModelOptions options;

    private HybridModel(SoftmaxRegression category, SoftmaxRegression priority, HybridModelOptions options)
    {
        this.category = category;
        this.priority = priority;
        this.options = options;
    }

    public static HybridModel Train(IReadOnlyList<EmbeddedExample> examples, HybridModelOptions options)
    {
        double[]? Balance(Func<EmbeddedExample, int> label, int classes)
        {
            if (!options.BalanceClasses)
                return null;
            var counts = new double[classes];
            foreach (var e in examples)
                counts[label(e)]++;
            return counts.Select(c => c == 0 ? 0 : examples.Count / (classes * c)).ToArray();
        }

        var categoryHead = SoftmaxRegression.Train(
            examples.Select(e => CategoryFeatures(e.Lexicon, e.Vector, options)).ToList(),
            examples.Select(e => e.Category).ToList(),
            Categories.All.Count, options.L2, options.Epochs, options.LearningRate, Balance(e => e.Category, Categories.All.Count));
        var priorityHead = SoftmaxRegression.Train(
            examples.Select(e => PriorityFeatures(e.Lexicon, e.Vector, options)).ToList(),
            examples.Select(e => e.Priority).ToList(),
            Priorities.All.Count, options.L2, options.Epochs, options.LearningRate, Balance(e => e.Priority, Priorities.All.Count));
        return new HybridModel(categoryHead, priorityHead, options);
    }

    public static HybridModel FromWeights(HybridWeights weights, HybridModelOptions options) =>
        new(new SoftmaxRegression(weights.Category), new SoftmaxRegression(weights.Priority), options);

    public HybridWeights ToWeights(string key) => new(key, category.Weights(), priority.Weights());

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
        var pc = category.Predict(CategoryFeatures(lexicon, vector, options));
        var order = Enumerable.Range(0, pc.Length).OrderByDescending(i => pc[i]).ThenBy(i => i).ToArray();
        var confidence = Math.Round(Math.Clamp(pc[order[0]], 0.05, 0.99), 2);

        var lexPriority = Priorities.All.ToList().IndexOf(lexicon.Classification.Priority);
        if (options.SignalOverride && lexPriority == 0)
            return (order[0], confidence, 0);

        var pp = priority.Predict(PriorityFeatures(lexicon, vector, options));
        int best;
        if (options.ExpectedPriority)
        {
            var expected = 0.0;
            for (var i = 0; i < pp.Length; i++)
                expected += i * pp[i];
            best = (int)Math.Round(expected, MidpointRounding.AwayFromZero);
        }
        else
        {
            best = Array.IndexOf(pp, pp.Max());
        }

        return (order[0], confidence, best);
    }

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
