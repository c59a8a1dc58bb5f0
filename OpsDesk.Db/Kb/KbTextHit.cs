namespace OpsDesk.Db.Kb;

/// <summary>A full-text match: the article (what a search result shows of it) and its <c>ts_rank</c> on the weighted tsvector.</summary>
public sealed record KbTextHit(long Id, float Rank, string Slug, string Title, bool IsPublic);
