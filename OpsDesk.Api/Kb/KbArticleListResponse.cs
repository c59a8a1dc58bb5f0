namespace OpsDesk.Api.Kb;

/// <summary>Articles, best match first for a search, by slug otherwise.</summary>
public sealed record KbArticleListResponse(IReadOnlyList<KbArticleSummaryResponse> Items);
