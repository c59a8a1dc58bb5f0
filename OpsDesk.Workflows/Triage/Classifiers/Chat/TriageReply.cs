namespace OpsDesk.Workflows.Triage.Classifiers.Chat;

/// <summary>A model reply that passed <see cref="TriageReplyValidator"/>; values may still hold PII placeholders.</summary>
public sealed record TriageReply(
    string Summary,
    string Category,
    string Priority,
    IReadOnlyList<ExtractedEntity> Entities,
    double Confidence,
    string Language,
    string Sentiment,
    IReadOnlyList<long>? Citations = null);
