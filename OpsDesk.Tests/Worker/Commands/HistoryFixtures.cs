using System.Reflection;
using System.Text.Json.Nodes;
using Google.Protobuf.Reflection;
using OpsDesk.Tests.Workflows.Triage;

namespace OpsDesk.Tests.Worker.Commands;

/// <summary>
/// The committed history files under Fixtures/histories, and the generator that wrote them (run it
/// explicitly after a deliberate change to TriageWorkflow: the files must then be regenerated).
/// </summary>
public sealed class HistoryFixtures
{
    public const string Success = "triage-101.json";
    public const string Nondeterministic = "triage-102.json";
    public const string UiDownload = "triage-103_events.json";
    public const string UiDownloadWrapped = "ui-download-wrapped.json";
    public const string Malformed = "malformed.json";
    public const string Empty = "empty.json";

    public static string PathOf(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", "histories", name);

    [Test]
    [Explicit("Writes the fixture files into the source tree.")]
    public async Task Generate_history_fixtures()
    {
        var dir = System.IO.Path.Combine(SourceRoot(), "Fixtures", "histories");
        Directory.CreateDirectory(dir);
        // What `temporal workflow show --output json` writes: proto JSON.
        await File.WriteAllTextAsync(System.IO.Path.Combine(dir, Success), Pretty(TriageHistories.Success(101).ToJson()));
        await File.WriteAllTextAsync(System.IO.Path.Combine(dir, Nondeterministic), Pretty(TriageHistories.FromAChangedWorkflow(102).ToJson()));
        // What the Temporal UI downloads: the same events with the UI's enum names, bare or wrapped.
        await File.WriteAllTextAsync(System.IO.Path.Combine(dir, UiDownload), UiStyle(TriageHistories.PermanentFailure(103).ToJson()).ToJsonString(Indented));
        var wrapped = new JsonObject { ["history"] = UiStyle(TriageHistories.TransientThenSuccess(104).ToJson()) };
        await File.WriteAllTextAsync(System.IO.Path.Combine(dir, UiDownloadWrapped), wrapped.ToJsonString(Indented));
        var truncated = TriageHistories.Success(105).ToJson();
        await File.WriteAllTextAsync(System.IO.Path.Combine(dir, Malformed), truncated[..(truncated.Length / 2)]);
        await File.WriteAllTextAsync(System.IO.Path.Combine(dir, Empty), "");
    }

    private static readonly System.Text.Json.JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static string Pretty(string json) => JsonNode.Parse(json)!.ToJsonString(Indented);

    /// <summary>Rewrites proto enum names (EVENT_TYPE_WORKFLOW_EXECUTION_STARTED) the UI way (WorkflowExecutionStarted).</summary>
    private static JsonNode UiStyle(string protoJson)
    {
        var names = typeof(Temporalio.Api.Enums.V1.EventType).Assembly.GetTypes()
            .Where(t => t.IsEnum && t.Namespace?.StartsWith("Temporalio.Api.Enums", StringComparison.Ordinal) == true)
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Select(f => (Original: f.GetCustomAttribute<OriginalNameAttribute>()?.Name, f.Name))
            .Where(p => p.Original is not null)
            .GroupBy(p => p.Original!)
            .ToDictionary(g => g.Key, g => g.First().Name);
        var root = JsonNode.Parse(protoJson)!;
        Rewrite(root, names);
        return root;
    }

    private static void Rewrite(JsonNode? node, Dictionary<string, string> names)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                {
                    if (value is JsonValue v && v.TryGetValue<string>(out var s) && names.TryGetValue(s, out var ui))
                        o[key] = ui;
                    else
                        Rewrite(value, names);
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                    Rewrite(item, names);
                break;
        }
    }

    private static string SourceRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "OpsDesk.Tests.csproj")))
                return dir.FullName;
        }

        throw new InvalidOperationException("OpsDesk.Tests.csproj not found above " + AppContext.BaseDirectory);
    }
}
