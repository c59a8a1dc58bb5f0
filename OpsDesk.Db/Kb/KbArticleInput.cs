namespace OpsDesk.Db.Kb;

/// <summary>The fields of an article as written by an admin or the importer (already validated).</summary>
public sealed record KbArticleInput(string Slug, string Title, string Body, IReadOnlyList<string> Tags, string Visibility);
