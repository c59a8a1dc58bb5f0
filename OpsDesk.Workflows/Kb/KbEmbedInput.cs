namespace OpsDesk.Workflows.Kb;

/// <summary>Input of <see cref="KbEmbedWorkflow"/>: the article and the version to embed.</summary>
public sealed record KbEmbedInput(long ArticleId, int Version);
