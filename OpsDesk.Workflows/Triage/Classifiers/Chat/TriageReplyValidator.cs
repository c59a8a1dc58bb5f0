using System.Globalization;
using System.Text.Json;
using OpsDesk.Db.Tickets;

namespace OpsDesk.Workflows.Triage.Classifiers.Chat;

/// <summary>
/// Checks a model reply against <see cref="TriageSchema"/> without trusting the provider to have done so:
/// every property present and typed, enums respected, lengths and ranges within limits, nothing extra.
/// </summary>
public static class TriageReplyValidator
{
    private const int MaxErrors = 20;

    /// <summary>
    /// Returns the list of problems (empty when valid) and, when valid, the parsed reply. With
    /// <paramref name="givenArticles"/> (the ids of the articles sent with the ticket) the reply must carry
    /// <c>citations</c>, and every cited id must be one of them: a citation of anything else is refused.
    /// </summary>
    public static IReadOnlyList<string> Validate(string? content, out TriageReply? reply, IReadOnlyCollection<long>? givenArticles = null)
    {
        reply = null;
        var errors = new List<string>();
        var json = StripCodeFence(content);
        if (string.IsNullOrWhiteSpace(json))
        {
            errors.Add("The reply is empty; a JSON object is required.");
            return errors;
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            errors.Add($"The reply is not valid JSON: {e.Message}");
            return errors;
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"The reply must be a JSON object, not {Describe(root.ValueKind)}.");
                return errors;
            }

            foreach (var property in root.EnumerateObject())
            {
                var cited = givenArticles is not null && property.Name == TriageSchema.CitationsProperty;
                if (!cited && !TriageSchema.Properties.Contains(property.Name, StringComparer.Ordinal))
                    errors.Add($"Unexpected property '{property.Name}'; only {string.Join(", ", TriageSchema.Properties)} are allowed.");
            }

            var citations = givenArticles is null ? null : Citations(root, givenArticles, errors);

            var summary = RequiredString(root, "summary", errors);
            if (summary is not null)
            {
                summary = summary.Trim();
                if (summary.Length == 0)
                    errors.Add("summary must not be empty.");
                else if (summary.Length > TriageSchema.MaxSummaryLength)
                    errors.Add($"summary has {summary.Length} characters; at most {TriageSchema.MaxSummaryLength} are allowed.");
            }

            var category = EnumValue(root, "category", Categories.All, errors);
            var priority = EnumValue(root, "priority", Priorities.All, errors);
            var sentiment = EnumValue(root, "sentiment", Sentiments.All, errors);
            var entities = Entities(root, errors);

            double confidence = 0;
            if (Required(root, "confidence", errors) is { } c)
            {
                if (c.ValueKind != JsonValueKind.Number || !c.TryGetDouble(out confidence))
                    errors.Add($"confidence must be a number, not {Describe(c.ValueKind)}.");
                else if (double.IsNaN(confidence) || confidence < 0 || confidence > 1)
                    errors.Add($"confidence must be between 0 and 1, not {confidence.ToString(CultureInfo.InvariantCulture)}.");
            }

            var language = RequiredString(root, "language", errors)?.Trim().ToLowerInvariant();
            if (language is not null && (language.Length != 2 || !language.All(char.IsAsciiLetterLower)))
                errors.Add($"language must be an ISO 639-1 code of two letters (for example en), not '{language}'.");

            if (errors.Count > 0)
            {
                if (errors.Count > MaxErrors)
                    errors.RemoveRange(MaxErrors, errors.Count - MaxErrors);
                return errors;
            }

            reply = new TriageReply(summary!, category!, priority!, entities!, confidence, language!, sentiment!, citations);
            return errors;
        }
    }

    private static List<long>? Citations(JsonElement root, IReadOnlyCollection<long> given, List<string> errors)
    {
        if (Required(root, TriageSchema.CitationsProperty, errors) is not { } array)
            return null;
        if (array.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"citations must be an array of article ids, not {Describe(array.ValueKind)}.");
            return null;
        }

        var result = new List<long>();
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var id))
                errors.Add($"citations[{i}] must be an article id (an integer).");
            else if (!given.Contains(id))
                errors.Add($"citations[{i}] is {id}, which is not one of the articles given ({string.Join(", ", given)}); cite only those.");
            else if (!result.Contains(id))
                result.Add(id);
            i++;
        }

        return result;
    }

    private static List<ExtractedEntity>? Entities(JsonElement root, List<string> errors)
    {
        if (Required(root, "entities", errors) is not { } array)
            return null;
        if (array.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"entities must be an array, not {Describe(array.ValueKind)}.");
            return null;
        }

        var result = new List<ExtractedEntity>();
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var path = $"entities[{i++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"{path} must be an object with type and value.");
                continue;
            }

            foreach (var property in item.EnumerateObject())
            {
                if (property.Name is not ("type" or "value"))
                    errors.Add($"{path} has unexpected property '{property.Name}'; only type and value are allowed.");
            }

            var type = EnumValue(item, "type", EntityTypes.All, errors, path);
            var value = RequiredString(item, "value", errors, path)?.Trim();
            if (value is not null && value.Length == 0)
                errors.Add($"{path}.value must not be empty.");
            else if (value is not null && value.Length > TriageSchema.MaxEntityValueLength)
                errors.Add($"{path}.value has {value.Length} characters; at most {TriageSchema.MaxEntityValueLength} are allowed.");
            else if (type is not null && value is not null)
                result.Add(new ExtractedEntity(type, value));
        }

        return result;
    }

    private static string? EnumValue(JsonElement obj, string name, IReadOnlyList<string> allowed, List<string> errors, string? path = null)
    {
        var value = RequiredString(obj, name, errors, path);
        if (value is null)
            return null;
        if (!allowed.Contains(value, StringComparer.Ordinal))
        {
            errors.Add($"{Path(path, name)} is '{value}' but must be one of: {string.Join(", ", allowed)}.");
            return null;
        }

        return value;
    }

    private static string? RequiredString(JsonElement obj, string name, List<string> errors, string? path = null)
    {
        if (Required(obj, name, errors, path) is not { } element)
            return null;
        if (element.ValueKind != JsonValueKind.String)
        {
            errors.Add($"{Path(path, name)} must be a string, not {Describe(element.ValueKind)}.");
            return null;
        }

        return element.GetString();
    }

    private static JsonElement? Required(JsonElement obj, string name, List<string> errors, string? path = null)
    {
        if (obj.TryGetProperty(name, out var element))
            return element;
        errors.Add($"Missing required property {Path(path, name)}.");
        return null;
    }

    private static string Path(string? path, string name) => path is null ? name : $"{path}.{name}";

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    /// <summary>Some OpenAI-compatible servers wrap JSON in a markdown fence even when asked not to.</summary>
    private static string? StripCodeFence(string? content)
    {
        if (content is null)
            return null;
        var text = content.Trim();
        if (!text.StartsWith("```", StringComparison.Ordinal) || !text.EndsWith("```", StringComparison.Ordinal) || text.Length < 6)
            return text;
        var firstNewline = text.IndexOf('\n', StringComparison.Ordinal);
        if (firstNewline < 0)
            return text;
        return text[(firstNewline + 1)..^3].Trim();
    }
}
