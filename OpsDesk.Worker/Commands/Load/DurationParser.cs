using System.Globalization;

namespace OpsDesk.Worker.Commands.Load;

/// <summary>Parses durations written like <c>500ms</c>, <c>20s</c>, <c>2m</c>, <c>1h</c> or plain seconds (<c>20</c>).</summary>
public static class DurationParser
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var s = text.Trim();
        var (number, scale) = s switch
        {
            _ when s.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (s[..^2], 0.001),
            _ when s.EndsWith('s') || s.EndsWith('S') => (s[..^1], 1.0),
            _ when s.EndsWith('m') || s.EndsWith('M') => (s[..^1], 60.0),
            _ when s.EndsWith('h') || s.EndsWith('H') => (s[..^1], 3600.0),
            _ => (s, 1.0),
        };
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            || double.IsNaN(value) || value * scale > TimeSpan.FromDays(1).TotalSeconds)
            return false;
        duration = TimeSpan.FromSeconds(value * scale);
        return true;
    }
}
