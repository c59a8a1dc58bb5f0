namespace OpsDesk.Db.Kb;

/// <summary>A row of <c>kb_docs</c>: one knowledge-base article (Markdown body).</summary>
public sealed class KbArticleRow
{
    public long Id { get; init; }
    public string Slug { get; init; } = "";
    public string Title { get; init; } = "";
    public string Body { get; init; } = "";
    public string[] Tags { get; init; } = [];
    public string Visibility { get; init; } = KbVisibility.Public;
    public int Version { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }

    public bool IsPublic => Visibility == KbVisibility.Public;
}
