using OpsDesk.Db;
using OpsDesk.Db.Auth;

namespace OpsDesk.Api.Auth;

/// <summary>An API key as listed: never the key or its hash. <see cref="Prefix"/> is the visible part after <c>odk_</c>.</summary>
public sealed record ApiKeyResponse(
    long Id,
    string Name,
    string Role,
    string Prefix,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt,
    long? AgentId)
{
    public static ApiKeyResponse From(ApiKeyRow row) => new(
        row.Id, row.Name, row.Role, row.Prefix, UtcTime.Offset(row.CreatedAt), UtcTime.Offset(row.LastUsedAt), UtcTime.Offset(row.RevokedAt), row.AgentId);
}

/// <summary>All keys, oldest first.</summary>
public sealed record ApiKeyListResponse(IReadOnlyList<ApiKeyResponse> Items);

/// <summary>A key just created. <see cref="Key"/> is shown this once and cannot be read again. <see cref="AgentId"/>: its agent (null for requester keys).</summary>
public sealed record CreatedApiKeyResponse(long Id, string Name, string Role, string Prefix, string Key, DateTimeOffset CreatedAt, long? AgentId);
