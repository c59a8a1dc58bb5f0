using Ganss.Xss;
using Markdig;

namespace OpsDesk.Api.Kb;

/// <summary>
/// Article Markdown → HTML that is safe to put in a page: raw HTML in the Markdown is shown as text
/// (Markdig's DisableHtml), and the result goes through HtmlSanitizer as well, so a <c>&lt;script&gt;</c>,
/// an event attribute or a <c>javascript:</c> link never renders as code, whatever the Markdown looks like.
/// </summary>
public static class KbMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .DisableHtml()
        .Build();

    // The default allow-lists (no script, style, iframe, on* attributes; http(s)/mailto links only).
    private static readonly HtmlSanitizer Sanitizer = new();

    public static string ToHtml(string markdown) => Sanitizer.Sanitize(Markdown.ToHtml(markdown, Pipeline));
}
