using System.Text.Json.Nodes;
using OpsDesk.Db.Tickets;

namespace OpsDesk.Workflows.Triage.Classifiers.Chat;

/// <summary>
/// The JSON schema the remote models must answer in (OpenAI structured output, strict mode). Strict mode
/// needs every property required and additionalProperties false, and ignores length and range keywords,
/// so those limits are stated in descriptions and enforced by <see cref="TriageReplyValidator"/>.
/// </summary>
public static class TriageSchema
{
    public const string Name = "ticket_triage";
    public const int MaxSummaryLength = 280;
    public const int MaxEntityValueLength = 200;

    public static readonly IReadOnlyList<string> Properties =
        ["summary", "category", "priority", "entities", "confidence", "language", "sentiment"];

    /// <summary>The extra property of a reply to a ticket sent with knowledge-base articles: the ids it relied on.</summary>
    public const string CitationsProperty = "citations";

    /// <summary>The schema document, built from the same lists the validator checks.</summary>
    public static BinaryData Json { get; } = BinaryData.FromString(Build().ToJsonString());

    /// <summary>The schema when articles were sent with the ticket: also <c>citations</c>, the ids of the articles the answer relied on.</summary>
    public static BinaryData JsonWithCitations { get; } = BinaryData.FromString(BuildWithCitations().ToJsonString());

    private static JsonObject BuildWithCitations()
    {
        var schema = Build();
        schema["properties"]![CitationsProperty] = new JsonObject
        {
            ["type"] = "array",
            ["description"] = "Ids of the knowledge-base articles given with the ticket that apply to it (empty when none does). Only ids that were given.",
            ["items"] = new JsonObject { ["type"] = "integer" },
        };
        schema["required"]!.AsArray().Add(CitationsProperty);
        return schema;
    }

    private static JsonObject Build() => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["summary"] = new JsonObject
            {
                ["type"] = "string",
                ["description"] = $"One or two neutral sentences in English, at most {MaxSummaryLength} characters. Keep placeholders such as [EMAIL_1] verbatim.",
            },
            ["category"] = Enum(Categories.All, "The team that should handle the ticket."),
            ["priority"] = Enum(Priorities.All, "P0 most urgent, P3 least."),
            ["entities"] = new JsonObject
            {
                ["type"] = "array",
                ["description"] = "Identifiers and facts quoted from the ticket.",
                ["items"] = new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject
                    {
                        ["type"] = Enum(EntityTypes.All, null),
                        ["value"] = new JsonObject
                        {
                            ["type"] = "string",
                            ["description"] = $"Exactly as written in the ticket (placeholders verbatim), at most {MaxEntityValueLength} characters.",
                        },
                    },
                    ["required"] = new JsonArray("type", "value"),
                    ["additionalProperties"] = false,
                },
            },
            ["confidence"] = new JsonObject
            {
                ["type"] = "number",
                ["description"] = "How sure you are of category and priority, from 0 to 1.",
            },
            ["language"] = new JsonObject
            {
                ["type"] = "string",
                ["description"] = "ISO 639-1 code of the ticket's language, two lowercase letters, for example en, hi, es.",
            },
            ["sentiment"] = Enum(Sentiments.All, "The customer's tone."),
        },
        ["required"] = new JsonArray([.. Properties.Select(p => (JsonNode)p)]),
        ["additionalProperties"] = false,
    };

    private static JsonObject Enum(IReadOnlyList<string> values, string? description)
    {
        var node = new JsonObject
        {
            ["type"] = "string",
            ["enum"] = new JsonArray([.. values.Select(v => (JsonNode)v)]),
        };
        if (description is not null)
            node["description"] = description;
        return node;
    }
}
