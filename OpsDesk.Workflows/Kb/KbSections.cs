using System.Text;

namespace OpsDesk.Workflows.Kb;

/// <summary>An article's Markdown split at its <c>##</c> headings: what gets embedded, cited and drafted from.</summary>
public static class KbSections
{
    public const string AnswerHeading = "Answer";

    /// <summary>(heading, text) pairs; the text before the first <c>##</c> has the heading "".</summary>
    public static IReadOnlyList<(string Heading, string Text)> Split(string body)
    {
        var sections = new List<(string, string)>();
        var heading = "";
        var text = new StringBuilder();
        foreach (var line in body.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                Add();
                heading = line[3..].Trim();
                text.Clear();
            }
            else if (!line.StartsWith("# ", StringComparison.Ordinal))
            {
                text.AppendLine(line);
            }
        }

        Add();
        return sections;

        void Add()
        {
            var t = text.ToString().Trim();
            if (t.Length > 0)
                sections.Add((heading, t));
        }
    }

    /// <summary>The texts an article is embedded as: the title with each section (the "Related" list left out).</summary>
    public static IReadOnlyList<string> Chunks(string title, IReadOnlyList<string> tags, string body)
    {
        var chunks = new List<string> { title + ". " + string.Join(", ", tags) };
        foreach (var (heading, text) in Split(body))
        {
            if (heading.Equals("Related", StringComparison.OrdinalIgnoreCase))
                continue;
            chunks.Add(title + ". " + Plain(text));
        }

        return chunks;
    }

    /// <summary>The article's answer section (a reply an agent can send), or its first section when it has none.</summary>
    public static string Answer(string body)
    {
        var sections = Split(body);
        var answer = sections.FirstOrDefault(s => s.Heading.Equals(AnswerHeading, StringComparison.OrdinalIgnoreCase));
        return Plain(answer.Text ?? (sections.Count > 0 ? sections[0].Text : ""));
    }

    /// <summary>A short plain-text excerpt for prompts: the answer section first, then the opening, cut at <paramref name="max"/> characters.</summary>
    public static string Snippet(string body, int max = 700)
    {
        var sections = Split(body);
        var opening = sections.FirstOrDefault(s => s.Heading.Length == 0).Text ?? "";
        var text = Plain(Answer(body) + "\n" + opening);
        return text.Length <= max ? text : text[..max].TrimEnd() + "…";
    }

    /// <summary>Markdown emphasis and list markers removed, whitespace collapsed.</summary>
    public static string Plain(string markdown)
    {
        var sb = new StringBuilder(markdown.Length);
        foreach (var c in markdown)
        {
            if (c is '*' or '`' or '_' or '#')
                continue;
            sb.Append(char.IsWhiteSpace(c) ? ' ' : c);
        }

        return string.Join(' ', sb.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}
