namespace OpsDesk.Workflows.Kb;

/// <summary>
/// An article file of <c>deploy/kb/articles</c>: a front matter block (<c>slug</c>, <c>title</c>,
/// <c>tags: [a, b]</c>, <c>visibility</c>) between <c>---</c> lines, then the Markdown body.
/// </summary>
public sealed record KbArticleFile(string? Slug, string? Title, IReadOnlyList<string> Tags, string? Visibility, string Body)
{
    /// <summary>Parses a file's text; null with a reason when there is no front matter block.</summary>
    public static KbArticleFile? Parse(string text, out string? error)
    {
        error = null;
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        if (lines.Length == 0 || lines[0].Trim() != "---")
        {
            error = "the file does not start with a front matter block (---).";
            return null;
        }

        var end = Array.FindIndex(lines, 1, l => l.Trim() == "---");
        if (end < 0)
        {
            error = "the front matter block is not closed (---).";
            return null;
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < end; i++)
        {
            var line = lines[i];
            var hash = line.IndexOf(" #", StringComparison.Ordinal);
            if (hash >= 0)
                line = line[..hash];
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
                fields[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        var tags = fields.TryGetValue("tags", out var rawTags)
            ? rawTags.Trim('[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Unquote).ToList()
            : [];
        var body = string.Join('\n', lines[(end + 1)..]).Trim('\n') + "\n";
        return new KbArticleFile(
            fields.TryGetValue("slug", out var slug) ? Unquote(slug) : null,
            fields.TryGetValue("title", out var title) ? Unquote(title) : null,
            tags,
            fields.TryGetValue("visibility", out var visibility) ? Unquote(visibility) : null,
            body);
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0] ? value[1..^1] : value;
}
