using System.Text.Json;
using System.Text.Json.Serialization;
using OpsDesk.Bench.Classify;

namespace OpsDesk.Bench.Measuring;

/// <summary>Source-generated JSON for load reports (<c>--output json</c>) of the HTTP and classifier runs.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(LoadReport))]
[JsonSerializable(typeof(AlternatingReport))]
[JsonSerializable(typeof(ClassifyReport))]
public sealed partial class LoadJsonContext : JsonSerializerContext;
