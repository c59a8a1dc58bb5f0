namespace OpsDesk.Db.Kb;

/// <summary>An article whose current version has no vectors for a model yet.</summary>
public sealed record KbStaleArticle(long Id, int Version);
