namespace OpsDesk.Workflows.Kb;

/// <summary>An article cited for a ticket, as stored in <c>ticket_ai.citations</c> (score: fused retrieval score, 0–1).</summary>
public sealed record KbCitation(long Id, string Slug, string Title, double Score, bool Public);
