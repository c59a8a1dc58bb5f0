using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace OpsDesk.Worker.Commands;

/// <summary>Durations on the command line: <c>45s</c>, <c>30m</c>, <c>24h</c>, <c>7d</c>.</summary>
public static class Durations
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text) || text.Length < 2)
            return false;
        var unit = char.ToLowerInvariant(text[^1]);
        if (!int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
            return false;
        TimeSpan? parsed = unit switch
        {
            's' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            'd' => TimeSpan.FromDays(amount),
            _ => null,
        };
        if (parsed is not { } span || span > TimeSpan.FromDays(3650))
            return false;
        value = span;
        return true;
    }

    /// <summary>An option holding a duration; a bad value is a parse error (exit code 2).</summary>
    public static Option<CliDuration> Option(string name, TimeSpan defaultValue, string description)
    {
        var option = new Option<CliDuration>(name)
        {
            Description = description + " Like 45s, 30m, 24h, 7d.",
            HelpName = "duration",
            DefaultValueFactory = _ => new CliDuration(defaultValue),
        };
        option.CustomParser = result => Parse(result, defaultValue, name);
        return option;
    }

    public static string Format(TimeSpan span) =>
        span.TotalDays >= 2 && span.TotalDays % 1 == 0 ? $"{span.TotalDays:0}d"
        : span.TotalHours >= 1 && span.TotalHours % 1 == 0 ? $"{span.TotalHours:0}h"
        : span.TotalMinutes >= 1 && span.TotalMinutes % 1 == 0 ? $"{span.TotalMinutes:0}m"
        : $"{span.TotalSeconds:0}s";

    private static CliDuration Parse(ArgumentResult result, TimeSpan defaultValue, string name)
    {
        if (result.Tokens.Count == 0)
            return new CliDuration(defaultValue);
        var text = result.Tokens[0].Value;
        if (TryParse(text, out var value))
            return new CliDuration(value);
        result.AddError($"{name}: '{text}' is not a duration; use a whole number with s, m, h or d, like 30m, 24h or 7d.");
        return new CliDuration(defaultValue);
    }
}
