namespace OpsDesk.Api.Kb;

/// <summary>An article as an admin writes it. <c>body</c> is Markdown (at most 20,000 characters); visibility public (default) or internal.</summary>
public sealed record KbArticleRequest(string? Slug, string? Title, string? Body, IReadOnlyList<string>? Tags, string? Visibility);
