using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace OpsDesk.Worker.Commands;

/// <summary><c>--output table|json</c> and the writers behind it.</summary>
public static class OutputOptions
{
    public const string Table = "table";
    public const string Json = "json";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // Output for people and scripts, never embedded in HTML: keep quotes and non-ASCII readable.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>
    /// A fresh <c>--output</c> option (an option belongs to one command): <paramref name="human"/>
    /// (<c>table</c>, or <c>text</c> for a command that prints lines), the default, or <c>json</c>.
    /// </summary>
    public static Option<string> Create(string human = Table)
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = $"Output format: {human} (for people) or json (for scripts).",
            DefaultValueFactory = _ => human,
            HelpName = $"{human}|json",
        };
        option.AcceptOnlyFromAmong(human, Json);
        return option;
    }

    public static async Task WriteJsonAsync<T>(TextWriter writer, T value)
    {
        await writer.WriteLineAsync(JsonSerializer.Serialize(value, JsonOptions));
        await writer.FlushAsync();
    }

    /// <summary>
    /// A Spectre console over <paramref name="writer"/>. Off a terminal: no colours, no cursor
    /// control, and a wide line so piped tables do not wrap.
    /// </summary>
    public static IAnsiConsole Console(TextWriter writer, bool terminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        if (!terminal)
            console.Profile.Width = 240;
        return console;
    }

    /// <summary>A plain text table: the header, then one line per row, columns padded to their widest cell.</summary>
    public static async Task WriteTextTableAsync(TextWriter writer, string[] header, IEnumerable<string[]> rows)
    {
        var table = rows.Prepend(header).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(i => table.Max(row => row[i].Length)).ToArray();
        foreach (var row in table)
            await writer.WriteLineAsync(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
    }

    /// <summary>Cuts text to <paramref name="max"/> characters with an ellipsis.</summary>
    public static string Shorten(string? text, int max = 40)
    {
        if (string.IsNullOrEmpty(text))
            return "";
        var oneLine = text.ReplaceLineEndings(" ");
        return oneLine.Length <= max ? oneLine : string.Concat(oneLine.AsSpan(0, max - 1), "…");
    }
}
