namespace OpsDesk.Api.Kb;

/// <summary>
/// A draft reply for an agent to review; OpsDesk never sends it. source: llm (drafted by the configured model
/// from the cited articles), article (the best article's answer section) or none (no article matches; draft null).
/// </summary>
public sealed record SuggestedReplyResponse(string? Draft, string Source, string? Model, IReadOnlyList<KbArticleSummaryResponse> Articles);
