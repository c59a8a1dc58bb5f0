using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace OpsDesk.Worker.Commands;

/// <summary>Parsers whose bad input is a parse error (exit code 2) with a message naming what was wrong.</summary>
public static class CliParsers
{
    /// <summary>
    /// A number option in [min, max]; anything else is a parse error naming the option and the range.
    /// Without a <paramref name="defaultValue"/> the option is required.
    /// </summary>
    public static Option<T> Number<T>(string name, T? defaultValue, T min, T max, string description)
        where T : struct, System.Numerics.INumber<T>
    {
        var fallback = defaultValue ?? min;
        var option = new Option<T>(name)
        {
            Description = description,
            HelpName = "number",
            Required = defaultValue is null,
        };
        if (defaultValue is not null)
            option.DefaultValueFactory = _ => fallback;
        option.CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
                return fallback;
            var text = result.Tokens[0].Value;
            if (T.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
                return value;
            result.AddError($"{name} must be a number from {min} to {max} (got '{text}').");
            return fallback;
        };
        return option;
    }

    /// <summary>Ticket ids: positive whole numbers.</summary>
    public static long[] TicketIds(ArgumentResult result) => PositiveIds(result, "ticket id");

    /// <summary>Timeline event ids: positive whole numbers.</summary>
    public static long[] EventIds(ArgumentResult result) => PositiveIds(result, "event id");

    private static long[] PositiveIds(ArgumentResult result, string what)
    {
        var ids = new List<long>();
        foreach (var token in result.Tokens)
        {
            if (long.TryParse(token.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
                ids.Add(id);
            else
                result.AddError($"'{token.Value}' is not a {what} (a positive whole number).");
        }

        return [.. ids];
    }
}
