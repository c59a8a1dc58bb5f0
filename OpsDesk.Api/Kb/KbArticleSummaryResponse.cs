namespace OpsDesk.Api.Kb;

/// <summary>An article in a list or a search result. <c>score</c> (0–1, fused full-text + semantic) only in search results.</summary>
public sealed record KbArticleSummaryResponse(long Id, string Slug, string Title, string Visibility, double? Score);
