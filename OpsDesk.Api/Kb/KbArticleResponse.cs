using OpsDesk.Db;
using OpsDesk.Db.Kb;

namespace OpsDesk.Api.Kb;

/// <summary>An article: its Markdown, the sanitised HTML rendering, and its version (every change bumps it).</summary>
public sealed record KbArticleResponse(
    long Id, string Slug, string Title, string Body, string Html, IReadOnlyList<string> Tags, string Visibility, int Version,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static KbArticleResponse From(KbArticleRow row) => new(
        row.Id, row.Slug, row.Title, row.Body, KbMarkdown.ToHtml(row.Body), row.Tags, row.Visibility, row.Version,
        UtcTime.Offset(row.CreatedAt), UtcTime.Offset(row.UpdatedAt));
}
