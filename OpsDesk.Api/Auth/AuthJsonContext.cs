using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpsDesk.Api.Auth;

/// <summary>Source-generated JSON for the key administration types.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(CreateApiKeyRequest))]
[JsonSerializable(typeof(ApiKeyResponse))]
[JsonSerializable(typeof(ApiKeyListResponse))]
[JsonSerializable(typeof(CreatedApiKeyResponse))]
public sealed partial class AuthJsonContext : JsonSerializerContext;
