using System.Text.Json.Nodes;

namespace OpsDesk.Tests.Workflows.Triage.Classifiers;

/// <summary>Model replies for the fake server.</summary>
internal static class Replies
{
    public static string Valid(
        string summary = "Customer paid by UPI; payment shown as failed but the amount was debited.",
        string category = "payments",
        string priority = "P1",
        (string Type, string Value)[]? entities = null,
        double confidence = 0.9,
        string language = "en",
        string sentiment = "negative") => new JsonObject
        {
            ["summary"] = summary,
            ["category"] = category,
            ["priority"] = priority,
            ["entities"] = new JsonArray([.. (entities ?? [("order_id", "ORD-88231")]).Select(e => (JsonNode)new JsonObject { ["type"] = e.Type, ["value"] = e.Value })]),
            ["confidence"] = confidence,
            ["language"] = language,
            ["sentiment"] = sentiment,
        }.ToJsonString();
}
