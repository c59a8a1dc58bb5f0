namespace OpsDesk.Workflows.Triage.Classifiers.Local;

/// <summary>The lexicon's classification, its per-category scores (Categories.All order), and whether its priority came from a deterministic signal.</summary>
public sealed record LexiconAnalysis(Classification Classification, double[] CategoryScores, bool PriorityFromSignal);
