using System.Text;

namespace OpsDesk.Workflows.Triage.Classifiers;

/// <summary>Whitespace collapsing and length limiting for summaries.</summary>
public static class SummaryText
{
    public const int MaxLength = 280;

    /// <summary>Collapses runs of whitespace (newlines included) to one space and trims.</summary>
    public static string Collapse(string text)
    {
        var sb = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = sb.Length > 0;
                continue;
            }

            if (pendingSpace)
                sb.Append(' ');
            pendingSpace = false;
            sb.Append(c);
        }

        return sb.ToString();
    }

    /// <summary>Cuts <paramref name="text"/> to at most <paramref name="max"/> characters at a word boundary, ending in an ellipsis.</summary>
    public static string Limit(string text, int max = MaxLength)
    {
        if (text.Length <= max)
            return text;
        var cut = text.LastIndexOf(' ', max - 1);
        if (cut < max / 2)
            cut = max - 1;
        return text[..cut].TrimEnd(' ', ',', ';', ':', '-') + "…";
    }
}
