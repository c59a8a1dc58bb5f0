using System.Globalization;
using System.Text;

namespace OpsDesk.Workflows.Triage.Classifiers.Local;

/// <summary>
/// Scores text against <see cref="LocalLexicon"/>: the text is normalised into space-separated tokens and
/// every 1–5 token window is looked up in a dictionary (span lookup, no allocation per window). Within a
/// group (all categories form one group, each cue its own) a phrase already counted hides the shorter
/// phrases inside it, so "cash on delivery" counts for payments but not again as "delivery" for orders.
/// </summary>
internal static class LexiconMatcher
{
    private const int MaxWords = 5;
    public static readonly int SignalCount = Enum.GetValues<Signal>().Length;

    private static readonly Dictionary<string, (Signal Signal, double Weight)[]> Exact = BuildExact();
    private static readonly Dictionary<string, (Signal Signal, double Weight)[]>.AlternateLookup<ReadOnlySpan<char>> ExactLookup =
        Exact.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly (string Prefix, Signal Signal, double Weight)[] Prefixes = LocalLexicon.Entries
        .Where(e => e.Phrase.EndsWith('*'))
        .Select(e => (e.Phrase[..^1], e.Signal, e.Weight))
        .OrderByDescending(e => e.Item1.Length)
        .ThenBy(e => e.Item1, StringComparer.Ordinal)
        .ToArray();

    /// <summary>Adds <paramref name="factor"/> × weight of every matched phrase into <paramref name="scores"/>.</summary>
    public static void Score(string text, double factor, double[] scores)
    {
        var normalized = Normalize(text);
        if (normalized.Length == 0)
            return;

        // Token boundaries in the normalised string.
        Span<(int Start, int End)> tokens = normalized.Length <= 2048
            ? stackalloc (int, int)[(normalized.Length / 2) + 1]
            : new (int, int)[(normalized.Length / 2) + 1];
        var count = 0;
        var start = 0;
        for (var i = 0; i <= normalized.Length; i++)
        {
            if (i == normalized.Length || normalized[i] == ' ')
            {
                if (i > start)
                    tokens[count++] = (start, i);
                start = i + 1;
            }
        }

        // One coverage slot per cue and one shared by all categories (the last slot).
        Span<int> coveredUntil = stackalloc int[SignalCount + 1];
        coveredUntil.Clear();
        Span<bool> countedHere = stackalloc bool[SignalCount + 1];
        for (var i = 0; i < count; i++)
        {
            countedHere.Clear();
            for (var n = Math.Min(MaxWords, count - i); n >= 1; n--)
            {
                var span = normalized.AsSpan(tokens[i].Start, tokens[i + n - 1].End - tokens[i].Start);
                if (ExactLookup.TryGetValue(span, out var entries))
                    Count(entries, i, n, factor, scores, coveredUntil, countedHere);
            }

            var token = normalized.AsSpan(tokens[i].Start, tokens[i].End - tokens[i].Start);
            foreach (var (prefix, signal, weight) in Prefixes)
            {
                if (token.StartsWith(prefix, StringComparison.Ordinal))
                    Count([(signal, weight)], i, 1, factor, scores, coveredUntil, countedHere);
            }
        }
    }

    private static void Count(
        ReadOnlySpan<(Signal Signal, double Weight)> entries, int position, int length, double factor,
        double[] scores, Span<int> coveredUntil, Span<bool> countedHere)
    {
        // Decide for every entry against the state before this phrase, then record the phrase.
        Span<bool> take = stackalloc bool[entries.Length];
        for (var k = 0; k < entries.Length; k++)
        {
            var group = Group(entries[k].Signal);
            take[k] = !countedHere[group] && position >= coveredUntil[group];
        }

        for (var k = 0; k < entries.Length; k++)
        {
            if (!take[k])
                continue;
            var (signal, weight) = entries[k];
            var group = Group(signal);
            countedHere[group] = true;
            coveredUntil[group] = Math.Max(coveredUntil[group], position + length);
            scores[(int)signal] += IsCategory(signal) ? weight * factor : weight;
        }
    }

    private static int Group(Signal signal) => IsCategory(signal) ? SignalCount : (int)signal;

    public static bool IsCategory(Signal signal) => signal <= Signal.Other;

    /// <summary>Lowercase letters, digits and combining marks; apostrophes dropped; everything else one space.</summary>
    public static string Normalize(string text)
    {
        var sb = new StringBuilder(text.Length);
        var space = false;
        foreach (var ch in text)
        {
            if (ch is '\'' or '’')
                continue;
            var category = char.GetUnicodeCategory(ch);
            var word = char.IsLetterOrDigit(ch)
                || category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
            if (!word)
            {
                space = sb.Length > 0;
                continue;
            }

            if (space)
                sb.Append(' ');
            space = false;
            sb.Append(char.ToLowerInvariant(ch));
        }

        return sb.ToString();
    }

    private static Dictionary<string, (Signal, double)[]> BuildExact()
    {
        var map = new Dictionary<string, List<(Signal, double)>>(StringComparer.Ordinal);
        foreach (var (phrase, signal, weight) in LocalLexicon.Entries)
        {
            if (phrase.EndsWith('*'))
                continue;
            var key = Normalize(phrase);
            if (key.Split(' ').Length > MaxWords)
                throw new InvalidOperationException($"Lexicon phrase '{phrase}' has more than {MaxWords} words.");
            if (!map.TryGetValue(key, out var list))
                map[key] = list = [];
            list.Add((signal, weight));
        }

        return map.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
    }
}
