using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace OpsDesk.Tests.Deploy;

/// <summary>
/// docker-compose.yml as plain data (anchors and merge keys resolved), plus the part of Compose's
/// variable interpolation the file uses, so tests can read it as Compose would.
/// </summary>
internal sealed class ComposeFile
{
    private ComposeFile(Dictionary<object, object> document) => Document = document;

    public Dictionary<object, object> Document { get; }

    public static ComposeFile Load(string path)
    {
        using var reader = new StringReader(File.ReadAllText(path));
        var parser = new MergingParser(new Parser(reader));
        var document = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(parser);
        return new ComposeFile(document);
    }

    public IReadOnlyDictionary<string, Dictionary<object, object>> Services =>
        Map(Document, "services")!.ToDictionary(kv => (string)kv.Key, kv => (Dictionary<object, object>)kv.Value);

    /// <summary>OpsDesk's own services: the ones built from this repository.</summary>
    public IEnumerable<KeyValuePair<string, Dictionary<object, object>>> OpsDeskServices =>
        Services.Where(s => s.Value.ContainsKey("build"));

    public static Dictionary<object, object>? Map(Dictionary<object, object> node, string key) =>
        node.TryGetValue(key, out var value) ? value as Dictionary<object, object> : null;

    public static string? Scalar(Dictionary<object, object> node, string key) =>
        node.TryGetValue(key, out var value) ? value as string : null;

    public static IReadOnlyList<object> List(Dictionary<object, object> node, string key) =>
        node.TryGetValue(key, out var value) && value is List<object> list ? list : [];

    /// <summary>A service's environment, in either of Compose's two forms (mapping or KEY=VALUE list).</summary>
    public static Dictionary<string, string?> Environment(Dictionary<object, object> service)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (!service.TryGetValue("environment", out var env))
            return result;
        if (env is Dictionary<object, object> map)
        {
            foreach (var (k, v) in map)
                result[(string)k] = v as string;
        }
        else if (env is List<object> list)
        {
            foreach (var item in list.Cast<string>())
            {
                var eq = item.IndexOf('=', StringComparison.Ordinal);
                result[eq < 0 ? item : item[..eq]] = eq < 0 ? null : item[(eq + 1)..];
            }
        }

        return result;
    }

    /// <summary>The env_file paths of a service (string, list of strings, or list of {path: ...}).</summary>
    public static IReadOnlyList<string> EnvFiles(Dictionary<object, object> service)
    {
        if (!service.TryGetValue("env_file", out var value))
            return [];
        return value switch
        {
            string one => [one],
            List<object> many => many.Select(x => x as string ?? Scalar((Dictionary<object, object>)x, "path")!).ToList(),
            _ => throw new InvalidOperationException("env_file has an unexpected shape"),
        };
    }

    /// <summary>KEY=VALUE lines of an env file; comments and blank lines skipped.</summary>
    public static Dictionary<string, string> ReadEnvFile(string path) =>
        File.ReadAllLines(path)
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0].Trim(), p => p.Length > 1 ? p[1].Trim() : "", StringComparer.Ordinal);

    /// <summary>
    /// Compose interpolation: $$, $NAME, ${NAME}, ${NAME:-default}, ${NAME-default},
    /// ${NAME:+alt}, ${NAME+alt}, ${NAME:?err}, ${NAME?err}; defaults may nest.
    /// </summary>
    public static string Interpolate(string text, IReadOnlyDictionary<string, string?> variables)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '$' || i + 1 >= text.Length)
            {
                sb.Append(text[i]);
                continue;
            }

            var next = text[i + 1];
            if (next == '$')
            {
                sb.Append('$');
                i++;
            }
            else if (next == '{')
            {
                var end = MatchingBrace(text, i + 1);
                sb.Append(Expand(text[(i + 2)..end], variables));
                i = end;
            }
            else if (char.IsLetter(next) || next == '_')
            {
                var j = i + 1;
                while (j < text.Length && (char.IsLetterOrDigit(text[j]) || text[j] == '_'))
                    j++;
                sb.Append(Lookup(text[(i + 1)..j], variables) ?? "");
                i = j - 1;
            }
            else
            {
                sb.Append('$');
            }
        }

        return sb.ToString();
    }

    private static string Expand(string expression, IReadOnlyDictionary<string, string?> variables)
    {
        var n = 0;
        while (n < expression.Length && (char.IsLetterOrDigit(expression[n]) || expression[n] == '_'))
            n++;
        var name = expression[..n];
        var rest = expression[n..];
        var value = Lookup(name, variables);
        var isSet = value is not null;
        var nonEmpty = !string.IsNullOrEmpty(value);
        if (rest.Length == 0)
            return value ?? "";
        var colon = rest.StartsWith(':');
        var op = colon ? rest[1] : rest[0];
        var argument = rest[(colon ? 2 : 1)..];
        var present = colon ? nonEmpty : isSet;
        return op switch
        {
            '-' => present ? value! : Interpolate(argument, variables),
            '+' => present ? Interpolate(argument, variables) : "",
            '?' => present ? value! : throw new InvalidOperationException($"required variable {name}: {argument}"),
            _ => throw new InvalidOperationException($"unsupported interpolation ${{{expression}}}"),
        };
    }

    private static string? Lookup(string name, IReadOnlyDictionary<string, string?> variables) =>
        variables.TryGetValue(name, out var v) ? v : null;

    private static int MatchingBrace(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            if (text[i] == '{')
                depth++;
            else if (text[i] == '}' && --depth == 0)
                return i;
        }

        throw new InvalidOperationException("unbalanced ${ in: " + text);
    }
}
