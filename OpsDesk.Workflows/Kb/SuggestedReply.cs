namespace OpsDesk.Workflows.Kb;

/// <summary>
/// A reply an agent may edit and send (never sent by OpsDesk). <see cref="Source"/>: <c>llm</c> (drafted by
/// the remote model from the cited articles), <c>article</c> (the best article's answer section) or
/// <c>none</c> (no article matches: <see cref="Draft"/> is null).
/// </summary>
public sealed record SuggestedReply(string? Draft, string Source, string? Model, IReadOnlyList<KbCitation> Articles);
