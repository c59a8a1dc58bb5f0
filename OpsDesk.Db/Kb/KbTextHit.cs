namespace OpsDesk.Db.Kb;

/// <summary>A full-text match: the article and its <c>ts_rank</c> on the weighted tsvector.</summary>
public sealed record KbTextHit(long Id, float Rank);
