using System.Text.RegularExpressions;
using OpsDesk.Db.Kb;

namespace OpsDesk.Workflows.Kb;

/// <summary>The one validation of an article's fields (API and importer): field → messages, empty when valid.</summary>
public static partial class KbArticleValidation
{
    public static Dictionary<string, string[]> Validate(string? slug, string? title, string? body, IReadOnlyList<string>? tags, string? visibility, out KbArticleInput? input)
    {
        input = null;
        var errors = new Dictionary<string, string[]>();
        slug = slug?.Trim();
        title = title?.Trim();
        if (string.IsNullOrEmpty(slug))
            errors["slug"] = ["slug is required."];
        else if (slug.Length > KbLimits.MaxSlugLength || !SlugPattern().IsMatch(slug))
            errors["slug"] = [$"slug must be lower-case letters, digits and single hyphens (e.g. upi-payment-pending), at most {KbLimits.MaxSlugLength} characters."];

        if (string.IsNullOrEmpty(title))
            errors["title"] = ["title is required."];
        else if (title.Length > KbLimits.MaxTitleLength)
            errors["title"] = [$"title has {title.Length} characters; at most {KbLimits.MaxTitleLength} are allowed."];

        if (string.IsNullOrWhiteSpace(body))
            errors["body"] = ["body is required (Markdown)."];
        else if (body.Length > KbLimits.MaxBodyLength)
            errors["body"] = [$"body has {body.Length} characters; at most {KbLimits.MaxBodyLength} are allowed."];
        else if (body.Contains('\0', StringComparison.Ordinal))
            errors["body"] = ["body must not contain NUL characters."];

        var cleanTags = (tags ?? []).Select(t => t?.Trim().ToLowerInvariant() ?? "").Distinct(StringComparer.Ordinal).ToList();
        if (cleanTags.Count > KbLimits.MaxTags)
            errors["tags"] = [$"at most {KbLimits.MaxTags} tags are allowed."];
        else if (cleanTags.Any(t => t.Length == 0 || t.Length > KbLimits.MaxTagLength || !SlugPattern().IsMatch(t)))
            errors["tags"] = [$"tags must be lower-case slugs (letters, digits, hyphens) of 1–{KbLimits.MaxTagLength} characters."];

        visibility = string.IsNullOrWhiteSpace(visibility) ? KbVisibility.Public : visibility.Trim();
        if (!KbVisibility.All.Contains(visibility, StringComparer.Ordinal))
            errors["visibility"] = ["visibility must be public or internal."];

        if (errors.Count == 0)
            input = new KbArticleInput(slug!, title!, body!.Replace("\r\n", "\n", StringComparison.Ordinal), cleanTags, visibility);
        return errors;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex SlugPattern();
}
