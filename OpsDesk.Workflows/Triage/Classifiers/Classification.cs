namespace OpsDesk.Workflows.Triage.Classifiers;

/// <summary>A validated triage result.</summary>
/// <param name="Summary">At most 280 characters.</param>
/// <param name="Category">One of <see cref="OpsDesk.Db.Tickets.Categories.All"/>.</param>
/// <param name="Priority">P0–P3.</param>
/// <param name="Confidence">0–1.</param>
/// <param name="Language">ISO 639-1 code.</param>
/// <param name="Sentiment">negative, neutral or positive.</param>
/// <param name="CitedArticleIds">Ids of the given knowledge-base articles a remote model relied on (null when none were given).</param>
public sealed record Classification(
    string Summary,
    string Category,
    string Priority,
    IReadOnlyList<ExtractedEntity> Entities,
    double Confidence,
    string Language,
    string Sentiment,
    string Provider,
    string? Model,
    string PromptVersion,
    IReadOnlyList<long>? CitedArticleIds = null);

/// <summary>An entity found in the ticket. Type is one of order_id, transaction_id, amount, currency,
/// payment_method, email, phone, device, app_version, other.</summary>
public sealed record ExtractedEntity(string Type, string Value);
