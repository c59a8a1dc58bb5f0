using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpsDesk.Worker.Commands.Load;

/// <summary>Source-generated JSON for load reports (<c>--output json</c>).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(LoadReport))]
[JsonSerializable(typeof(ClassifyReport))]
public sealed partial class LoadJsonContext : JsonSerializerContext;
