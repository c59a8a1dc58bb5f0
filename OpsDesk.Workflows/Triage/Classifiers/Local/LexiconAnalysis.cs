namespace OpsDesk.Workflows.Triage.Classifiers.Local;

/// <summary>
/// The lexicon's classification, its per-category scores (Categories.All order), whether its priority came
/// from a deterministic signal, and the scores of its priority and sentiment cues (fraud, takeover, outage,
/// debited, failed, duplicate, vanished, locked out, code, not arriving, login, payment, question, feedback,
/// problem, negative, positive — in that order).
/// </summary>
public sealed record LexiconAnalysis(Classification Classification, double[] CategoryScores, bool PriorityFromSignal, double[] CueScores);
