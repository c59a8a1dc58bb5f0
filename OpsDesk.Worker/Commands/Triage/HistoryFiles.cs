using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Temporalio.Common;

namespace OpsDesk.Worker.Commands.Triage;

/// <summary>
/// Reads workflow histories saved as JSON: what <c>temporal workflow show --output json</c> writes
/// (<c>{"events":[...]}</c> in proto JSON) and what the Temporal UI downloads (the same object with
/// UI-style enum names, a bare array of events, or the object wrapped in <c>{"history":{...}}</c>).
/// </summary>
public static partial class HistoryFiles
{
    /// <summary>Reads a history file; throws <see cref="InvalidDataException"/> with a message for a person.</summary>
    public static async Task<WorkflowHistory> ReadAsync(string path, string? workflowId, CancellationToken ct)
    {
        if (!File.Exists(path))
            throw new InvalidDataException("file not found");
        var text = await File.ReadAllTextAsync(path, ct);
        return Parse(text, workflowId ?? WorkflowIdFromFileName(path));
    }

    /// <summary>Parses history JSON. <paramref name="workflowId"/> wins; else the started event's id; else "unknown".</summary>
    public static WorkflowHistory Parse(string json, string? workflowId)
    {
        if (string.IsNullOrWhiteSpace(json))
            throw new InvalidDataException("the file is empty; expected a workflow history as JSON ({\"events\": [...]})");

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"malformed JSON: {ex.Message}", ex);
        }

        var events = root switch
        {
            JsonArray array => array,
            JsonObject o when o["events"] is JsonArray array => array,
            JsonObject o when o["history"] is JsonObject h && h["events"] is JsonArray array => array,
            _ => throw new InvalidDataException("not a workflow history: expected {\"events\": [...]}, {\"history\": {\"events\": [...]}} or an array of events"),
        };
        if (events.Count == 0)
            throw new InvalidDataException("the history has no events");

        WorkflowHistory history;
        try
        {
            var normalized = new JsonObject { ["events"] = events.DeepClone() }.ToJsonString();
            history = WorkflowHistory.FromJson(workflowId ?? "unknown", normalized);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException or IOException or FormatException)
        {
            throw new InvalidDataException($"not a valid Temporal history: {ex.Message}", ex);
        }

        var first = history.Events.FirstOrDefault();
        if (first?.WorkflowExecutionStartedEventAttributes is not { } started)
            throw new InvalidDataException("not a valid Temporal history: the first event is not WorkflowExecutionStarted");
        if (workflowId is null && !string.IsNullOrEmpty(started.WorkflowId))
            history = history with { Id = started.WorkflowId };
        return history;
    }

    /// <summary>triage-42.json, triage-42_events.json, sla-7-history.json → the workflow id in the name; otherwise null.</summary>
    public static string? WorkflowIdFromFileName(string path)
    {
        var match = WorkflowIdInName().Match(Path.GetFileNameWithoutExtension(path));
        return match.Success ? match.Value : null;
    }

    [GeneratedRegex(@"^(triage|sla)-\d+(?!\d)")]
    private static partial Regex WorkflowIdInName();
}
