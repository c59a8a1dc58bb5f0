using System.Text.RegularExpressions;

namespace OpsDesk.Db.Tickets;

/// <summary>The rules of tags: lower-case slugs (<c>[a-z0-9][a-z0-9-]*</c>) of at most 40 characters, at most 20 per ticket.</summary>
public static partial class TicketTags
{
    public const int MaxLength = 40;
    public const int MaxPerTicket = 20;

    public static bool IsValid(string? tag) => tag is { Length: > 0 and <= MaxLength } && Slug().IsMatch(tag);

    /// <summary>The set after replacing with <paramref name="set"/> (when given), adding and removing: distinct, sorted ordinally.</summary>
    public static string[] Apply(IReadOnlyList<string> current, IReadOnlyList<string>? set, IReadOnlyList<string> add, IReadOnlyList<string> remove) =>
        (set ?? current).Concat(add).Except(remove, StringComparer.Ordinal).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Slug();
}
