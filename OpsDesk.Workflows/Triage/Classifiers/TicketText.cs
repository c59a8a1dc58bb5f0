namespace OpsDesk.Workflows.Triage.Classifiers;

/// <summary>
/// The text of a ticket as the classifier sees it (raw; remote providers redact PII first), with the
/// knowledge-base articles retrieved for it, if any (remote providers send their snippets and may cite them).
/// </summary>
public sealed record TicketText(long TicketId, string Subject, string Description, string Source, IReadOnlyList<ArticleSnippet>? Articles = null);

/// <summary>A knowledge-base article as a prompt shows it: id, title and a plain-text excerpt.</summary>
public sealed record ArticleSnippet(long Id, string Title, string Text);
