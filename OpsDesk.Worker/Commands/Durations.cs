using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace OpsDesk.Worker.Commands;

/// <summary>
/// Durations on the command line, one grammar for every option of <c>opsdesk</c> and the bench: a
/// number (decimals allowed) and a unit, <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c> or <c>d</c> in any
/// case — <c>500ms</c>, <c>1.5s</c>, <c>30m</c>, <c>24h</c>, <c>7d</c>. A bare number is refused:
/// <c>--since 24</c> would mean seconds where a reader may think hours.
/// </summary>
public static class Durations
{
    /// <summary>The longest duration any option takes unless it says less.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(3650);

    private const string Grammar = "a number with ms, s, m, h or d, like 500ms, 30m, 24h or 7d";

    private static readonly (string Unit, double Seconds)[] Units =
        [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)];

    /// <summary>Reads a duration of the grammar above (zero included); false for anything else or above <see cref="Longest"/>.</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var s = text.Trim();
        // Longest suffix first: "ms" before "s" and "m".
        foreach (var (unit, seconds) in Units.OrderByDescending(u => u.Unit.Length))
        {
            if (!s.EndsWith(unit, StringComparison.OrdinalIgnoreCase))
                continue;
            if (!double.TryParse(s.AsSpan(0, s.Length - unit.Length), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
                || double.IsNaN(amount) || amount * seconds > Longest.TotalSeconds)
            {
                return false;
            }

            value = TimeSpan.FromSeconds(amount * seconds);
            return true;
        }

        return false;
    }

    /// <summary>
    /// An option holding a duration above zero (or zero with <paramref name="allowZero"/>) and at most
    /// <paramref name="max"/> (default <see cref="Longest"/>); anything else is a parse error (exit code 2).
    /// Without a <paramref name="defaultValue"/> the option is required.
    /// </summary>
    public static Option<CliDuration> Option(string name, TimeSpan? defaultValue, string description, bool allowZero = false, TimeSpan? max = null)
    {
        var longest = max ?? Longest;
        var fallback = new CliDuration(defaultValue ?? TimeSpan.Zero);
        var option = new Option<CliDuration>(name)
        {
            Description = description + " Like 500ms, 45s, 30m, 24h, 7d.",
            HelpName = "duration",
            Required = defaultValue is null,
            CustomParser = result => Parse(result, name, fallback, allowZero, longest),
        };
        if (defaultValue is not null)
            option.DefaultValueFactory = _ => fallback;
        return option;
    }

    /// <summary>The shortest way the grammar writes <paramref name="span"/>: 7d, 24h, 30m, 45s, 250ms.</summary>
    public static string Format(TimeSpan span) =>
        span.TotalDays >= 2 && span.TotalDays % 1 == 0 ? $"{span.TotalDays:0}d"
        : span.TotalHours >= 1 && span.TotalHours % 1 == 0 ? $"{span.TotalHours:0}h"
        : span.TotalMinutes >= 1 && span.TotalMinutes % 1 == 0 ? $"{span.TotalMinutes:0}m"
        : span.TotalSeconds % 1 == 0 ? $"{span.TotalSeconds:0}s"
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalMilliseconds:0.###}ms");

    private static CliDuration Parse(ArgumentResult result, string name, CliDuration fallback, bool allowZero, TimeSpan max)
    {
        if (result.Tokens.Count == 0)
            return fallback;
        var text = result.Tokens[0].Value;
        if (TryParse(text, out var value) && (allowZero || value > TimeSpan.Zero) && value <= max)
            return new CliDuration(value);
        var bounds = (allowZero ? "" : " above zero") + (max < Longest ? $" and at most {Format(max)}" : "");
        result.AddError($"{name} must be a duration{bounds} ({Grammar}); got '{text}'.");
        return fallback;
    }
}
