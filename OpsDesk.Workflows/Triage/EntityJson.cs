using System.Text.Json;

namespace OpsDesk.Workflows.Triage;

/// <summary>How entities are stored in <c>ticket_ai.entities</c>: <c>[{"type":..,"value":..}]</c>.</summary>
internal static class EntityJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
