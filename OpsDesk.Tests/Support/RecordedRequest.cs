using System.Text;
using System.Text.Json.Nodes;

namespace OpsDesk.Tests.Support;

/// <summary>One request the fake chat-completions server received.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException("Empty request body.");

    /// <summary>Every string value in the JSON body, unescaped (the SDK escapes characters such as '+').</summary>
    public string DecodedStrings()
    {
        var sb = new StringBuilder();
        Walk(Json, sb);
        return sb.ToString();
    }

    /// <summary>The text of every chat message with the given role.</summary>
    public string MessageText(string role)
    {
        var sb = new StringBuilder();
        foreach (var message in Json["messages"]?.AsArray() ?? [])
        {
            if (message?["role"]?.GetValue<string>() == role)
                Walk(message["content"], sb);
        }

        return sb.ToString();
    }

    public string Header(string name) =>
        Headers.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"Header {name} was not sent.");

    private static void Walk(JsonNode? node, StringBuilder sb)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj)
                    Walk(child, sb);
                break;
            case JsonArray array:
                foreach (var child in array)
                    Walk(child, sb);
                break;
            case JsonValue value when value.TryGetValue<string>(out var s):
                sb.AppendLine(s);
                break;
        }
    }
}
