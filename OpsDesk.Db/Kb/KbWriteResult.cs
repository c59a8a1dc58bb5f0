namespace OpsDesk.Db.Kb;

/// <summary>The outcome of an article write and the article as stored (null when not found or refused).</summary>
public sealed record KbWriteResult(KbWriteOutcome Outcome, KbArticleRow? Article);
