using OpsDesk.Db.Auth;

namespace OpsDesk.Tests.Support;

/// <summary>API keys made straight in the test database, each with a unique name.</summary>
public static class ApiKeys
{
    public static ApiKeyRepository Repository => new(TestDatabase.DataSource);

    public static async Task<CreatedApiKey> CreateAsync(string role)
    {
        var created = await Repository.CreateAsync($"test-{role}-{Guid.NewGuid():N}", role);
        return created ?? throw new InvalidOperationException("a unique key name was taken");
    }

    public static async Task<CreatedApiKey> CreateRevokedAsync(string role)
    {
        var created = await CreateAsync(role);
        await Repository.RevokeAsync(created.Id);
        return created;
    }
}
