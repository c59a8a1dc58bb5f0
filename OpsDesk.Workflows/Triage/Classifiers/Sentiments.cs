namespace OpsDesk.Workflows.Triage.Classifiers;

/// <summary>Values of <see cref="Classification.Sentiment"/>.</summary>
public static class Sentiments
{
    public const string Negative = "negative";
    public const string Neutral = "neutral";
    public const string Positive = "positive";

    public static readonly IReadOnlyList<string> All = [Negative, Neutral, Positive];
}
