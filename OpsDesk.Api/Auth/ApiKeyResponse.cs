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
    DateTimeOffset? RevokedAt)
{
    public static ApiKeyResponse From(ApiKeyRow row) => new(
        row.Id, row.Name, row.Role, row.Prefix, UtcTime.Offset(row.CreatedAt), UtcTime.Offset(row.LastUsedAt), UtcTime.Offset(row.RevokedAt));
}

/// <summary>All keys, oldest first.</summary>
public sealed record ApiKeyListResponse(IReadOnlyList<ApiKeyResponse> Items);

/// <summary>A key just created. <see cref="Key"/> is shown this once and cannot be read again.</summary>
public sealed record CreatedApiKeyResponse(long Id, string Name, string Role, string Prefix, string Key, DateTimeOffset CreatedAt);
