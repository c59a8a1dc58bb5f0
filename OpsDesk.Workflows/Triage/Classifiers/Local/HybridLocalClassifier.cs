using System.Reflection;
using System.Text.Json;
using OpsDesk.Db.Tickets;
using OpsDesk.Workflows.Kb;

namespace OpsDesk.Workflows.Triage.Classifiers.Local;

/// <summary>
/// The offline classifier: the lexicon (<see cref="LocalTicketClassifier"/>) plus meaning from
/// all-MiniLM-L6-v2. The ticket is compared with the labelled examples shipped in
/// <c>training-examples.json</c>; its nearest neighbours vote on category and priority.
/// - Category: the lexicon's normalised scores and the neighbours' votes, half each (votes alone when
///   the lexicon matched nothing).
/// - Priority: the lexicon's deterministic signals stay (outage, fraud or takeover → P0; money debited
///   but failed, duplicate charge, locked out, OTP blocking a login → P1); otherwise the neighbours' votes
///   (70 %) and the lexicon's default (30 %) decide, so rephrased urgency ("can't withdraw my balance for
///   4 days") is seen.
/// Entities, language, sentiment and summary are the lexicon's. Thread-safe; deterministic for a model.
/// </summary>
public sealed class HybridLocalClassifier(MiniLmEmbeddingService embeddings) : ITicketClassifier
{
    public const string ModelName = "lexicon+all-MiniLM-L6-v2";
    public const string PromptVersion = "local-v2";

    /// <summary>Neighbours that vote.</summary>
    public const int Neighbours = 7;

    /// <summary>Weight of the lexicon in the category decision (the neighbours have the rest).</summary>
    public const double LexiconWeight = 0.5;

    /// <summary>
    /// Weight of the lexicon's own (non-signal) priority against the neighbours' votes. Chosen, with
    /// <see cref="LexiconWeight"/>, by leave-one-out over the training examples (never the held-out sets).
    /// </summary>
    public const double PriorityWeight = 0.3;

    internal double CategoryLexiconWeight { get; init; } = LexiconWeight;

    internal double PriorityLexiconWeight { get; init; } = PriorityWeight;

    /// <summary>Leave-one-out over the examples themselves: an example identical to the ticket does not vote.</summary>
    internal bool SkipIdentical { get; init; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Lazy<Example[]> examples = new(() => LoadExamples(embeddings), LazyThreadSafetyMode.ExecutionAndPublication);

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
        var (categoryVotes, priorityVotes) = Vote(vector);

        var lexTotal = lexicon.CategoryScores.Sum();
        var lexWeight = lexTotal > 0 ? CategoryLexiconWeight : 0;
        var combined = new double[Categories.All.Count];
        for (var i = 0; i < combined.Length; i++)
            combined[i] = (lexWeight * (lexTotal > 0 ? lexicon.CategoryScores[i] / lexTotal : 0)) + ((1 - lexWeight) * categoryVotes[i]);
        var order = Enumerable.Range(0, combined.Length).OrderByDescending(i => combined[i]).ThenBy(i => i).ToArray();
        var category = Categories.All[order[0]];
        var confidence = Math.Round(Math.Clamp(combined[order[0]] - (combined[order[1]] / 2), 0.05, 0.99), 2);

        var lexPriority = Priorities.All.ToList().IndexOf(lexicon.Classification.Priority);
        for (var i = 0; i < priorityVotes.Length; i++)
            priorityVotes[i] = ((1 - PriorityLexiconWeight) * priorityVotes[i]) + (i == lexPriority ? PriorityLexiconWeight : 0);
        var priority = lexicon.PriorityFromSignal
            ? lexicon.Classification.Priority
            : Priorities.All[Array.IndexOf(priorityVotes, priorityVotes.Max())];

        return lexicon.Classification with
        {
            Category = category,
            Priority = priority,
            Confidence = confidence,
            Model = ModelName,
            PromptVersion = PromptVersion,
        };
    }

    /// <summary>Similarity-weighted votes of the nearest examples, each list summing to 1.</summary>
    private (double[] Categories, double[] Priorities) Vote(float[] vector)
    {
        var all = examples.Value;
        var nearest = all.Select(e => (Example: e, Similarity: Vectors.Cosine(vector, e.Vector)))
            .Where(n => !SkipIdentical || n.Similarity < 0.9999f)
            .OrderByDescending(n => n.Similarity).Take(Neighbours).ToList();
        var categories = new double[Categories.All.Count];
        var priorities = new double[Priorities.All.Count];
        double total = 0;
        foreach (var (example, similarity) in nearest)
        {
            var w = Math.Max(similarity, 0.01);
            categories[example.Category] += w;
            priorities[example.Priority] += w;
            total += w;
        }

        for (var i = 0; i < categories.Length; i++)
            categories[i] /= total;
        for (var i = 0; i < priorities.Length; i++)
            priorities[i] /= total;
        return (categories, priorities);
    }

    private static string Text(string subject, string description) => subject.Trim() + ". " + description.Trim();

    private static Example[] LoadExamples(MiniLmEmbeddingService embeddings)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("OpsDesk.Workflows.training-examples.json")
            ?? throw new InvalidOperationException("The local classifier's training examples are not embedded in the assembly.");
        var file = JsonSerializer.Deserialize<ExampleFile>(stream, Json) ?? throw new InvalidOperationException("training-examples.json is empty.");
        var vectors = embeddings.Embed(file.Tickets.Select(t => Text(t.Subject, t.Description)).ToList());
        return file.Tickets.Select((t, i) => new Example(
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

    private sealed record Example(float[] Vector, int Category, int Priority);

    private sealed record ExampleTicket(string Subject, string Description, string Category, string Priority);

    private sealed record ExampleFile(ExampleTicket[] Tickets);
}
