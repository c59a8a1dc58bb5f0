namespace OpsDesk.Db.Triage;

/// <summary>A classification to save. Entities and citations are JSON text.</summary>
public sealed record TriageResultRow(
    long TicketId,
    string Summary,
    string Category,
    string Priority,
    string EntitiesJson,
    double Confidence,
    string Language,
    string Sentiment,
    string Provider,
    string? Model,
    string PromptVersion,
    string CitationsJson = "[]");
