using System.Net;
using System.Net.Http.Json;
using System.Text;
using Npgsql;
using OpsDesk.Db.Auth;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Api.Auth;

public sealed class ApiKeyTests
{
    private ApiFactory factory = null!;

    [OneTimeSetUp]
    public void Start() => factory = new ApiFactory();

    [OneTimeTearDown]
    public async Task Stop() => await factory.DisposeAsync();

    [Test]
    public async Task The_plaintext_key_is_in_no_text_or_bytea_column_of_api_keys()
    {
        var admin = await ApiKeys.CreateAsync(ApiKeyRoles.Admin);
        using var client = factory.CreateClientWithKey(admin.Key);
        using var response = await client.PostAsJsonAsync("/api/admin/keys", new { name = "storage-" + Guid.NewGuid().ToString("N"), role = "agent" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var created = await Tickets.ReadAsync(response);
        var key = created["key"]!.GetValue<string>();
        var secret = key[(Secrets.KeyMarker.Length + Secrets.PrefixLength + 1)..];

        var columns = new List<(string Name, string Type)>();
        await using (var cmd = TestDatabase.DataSource.CreateCommand(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'api_keys' AND data_type IN ('text', 'bytea', 'character varying')"))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                columns.Add((reader.GetString(0), reader.GetString(1)));
        }

        Assert.That(columns.Select(c => c.Name), Is.SupersetOf(new[] { "prefix", "name", "role", "key_hash" }));
        var keyBytes = Encoding.UTF8.GetBytes(key);
        foreach (var (name, type) in columns)
        {
            // Every row, not just this key's: no key may sit in the table in any form we can recognise.
            await using var cmd = TestDatabase.DataSource.CreateCommand($"SELECT \"{name}\" FROM api_keys WHERE \"{name}\" IS NOT NULL");
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var text = type == "bytea" ? Encoding.UTF8.GetString((byte[])reader[0]) + Convert.ToHexString((byte[])reader[0]) + Convert.ToBase64String((byte[])reader[0]) : reader.GetString(0);
                Assert.That(text, Does.Not.Contain(key).And.Not.Contain(secret), $"column {name}");
                if (type == "bytea")
                    Assert.That((byte[])reader[0], Is.Not.EqualTo(keyBytes), $"column {name}");
            }
        }

        var stored = await TestDatabase.ScalarAsync<byte[]>("SELECT key_hash FROM api_keys WHERE id = @id", ("id", created["id"]!.GetValue<long>()));
        Assert.That(stored, Is.EqualTo(System.Security.Cryptography.SHA256.HashData(keyBytes)), "only the SHA-256 of the key is kept");
    }

    [Test]
    public async Task Revoking_a_key_refuses_it_on_the_next_request()
    {
        var agent = await ApiKeys.CreateAsync(ApiKeyRoles.Agent);
        var admin = await ApiKeys.CreateAsync(ApiKeyRoles.Admin);
        using var client = factory.CreateClientWithKey(agent.Key);
        using var adminClient = factory.CreateClientWithKey(admin.Key);

        using var before = await client.GetAsync("/api/tickets?limit=1");
        using var revoke = await adminClient.DeleteAsync($"/api/admin/keys/{agent.Id}");
        using var after = await client.GetAsync("/api/tickets?limit=1");

        Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(revoke.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(after.Headers.WwwAuthenticate.ToString(), Does.Contain("invalid_token"));
        Assert.That((await Tickets.ReadAsync(after))["detail"]!.GetValue<string>(), Does.Contain("unknown or revoked"));
    }

    [Test]
    public async Task A_key_with_a_known_prefix_and_a_wrong_secret_is_refused()
    {
        var agent = await ApiKeys.CreateAsync(ApiKeyRoles.Agent);
        var forged = agent.Key[..^4] + (agent.Key.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        using var client = factory.CreateClientWithKey(forged);

        using var response = await client.GetAsync("/api/tickets?limit=1");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [TestCase("Bearer")]
    [TestCase("Bearer ")]
    [TestCase("bearer")]
    [TestCase("Basic dXNlcjpwYXNz")]
    [TestCase("Token odk_abc")]
    [TestCase("Bearer two words")]
    public async Task Malformed_authorization_header_is_a_401_problem_with_a_challenge(string header)
    {
        using var client = factory.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/tickets");
        request.Headers.TryAddWithoutValidation("Authorization", header);

        using var response = await client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.Contain("realm=\"OpsDesk\"").And.Contain("invalid_token"));
    }

    [Test]
    public async Task Credentials_that_fail_are_not_downgraded_to_anonymous_create()
    {
        var revoked = await ApiKeys.CreateRevokedAsync(ApiKeyRoles.Requester);
        var marker = "downgrade-" + Guid.NewGuid().ToString("N");
        using var client = factory.CreateClientWithKey(revoked.Key);

        using var response = await Tickets.PostAsync(client, Tickets.Body(subject: marker));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM tickets WHERE subject = @s", ("s", marker)), Is.Zero);
    }

    [Test]
    public async Task Last_used_is_written_once_a_minute_per_key_not_per_request()
    {
        var agent = await ApiKeys.CreateAsync(ApiKeyRoles.Agent);
        using var client = factory.CreateClientWithKey(agent.Key);
        Task<DateTime?> LastUsed() => ReadLastUsedAsync(agent.Id);

        Assert.That(await LastUsed(), Is.Null);
        (await client.GetAsync("/api/tickets?limit=1")).Dispose();
        var first = await LastUsed();
        for (var i = 0; i < 5; i++)
            (await client.GetAsync("/api/tickets?limit=1")).Dispose();
        var afterBurst = await LastUsed();
        await TestDatabase.ExecuteAsync("UPDATE api_keys SET last_used_at = now() - interval '2 minutes' WHERE id = @id", ("id", agent.Id));
        var aged = await LastUsed();
        (await client.GetAsync("/api/tickets?limit=1")).Dispose();
        var afterAMinute = await LastUsed();

        Assert.That(first, Is.Not.Null);
        Assert.That(afterBurst, Is.EqualTo(first), "no write for requests within the minute");
        Assert.That(afterAMinute, Is.GreaterThan(aged!.Value.AddMinutes(1)), "written again once the last write is over a minute old");
    }

    [Test]
    public async Task Bootstrap_admin_key_is_seeded_once_and_works_as_admin()
    {
        var key = "dev-bootstrap-" + Guid.NewGuid().ToString("N");
        await using var first = new ApiFactory(new() { ["OPSDESK_BOOTSTRAP_ADMIN_KEY"] = key });
        await using var second = new ApiFactory(new() { ["Auth:BootstrapAdminKey"] = key });
        using var a = first.CreateClientWithKey(key);
        using var b = second.CreateClientWithKey(key);

        using var fromFirst = await a.GetAsync("/api/admin/keys");
        using var fromSecond = await b.GetAsync("/api/admin/keys");

        Assert.That(fromFirst.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(fromSecond.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM api_keys WHERE prefix = @p", ("p", Secrets.LookupPrefix(key))), Is.EqualTo(1));
    }

    [Test]
    public async Task A_revoked_bootstrap_key_stays_revoked_after_a_restart()
    {
        var key = "dev-bootstrap-" + Guid.NewGuid().ToString("N");
        await using (var first = new ApiFactory(new() { ["Auth:BootstrapAdminKey"] = key }))
        {
            using var client = first.CreateClientWithKey(key);
            var id = await TestDatabase.ScalarAsync<long>("SELECT id FROM api_keys WHERE prefix = @p", ("p", Secrets.LookupPrefix(key)));
            (await client.DeleteAsync($"/api/admin/keys/{id}")).Dispose();
        }

        await using var restarted = new ApiFactory(new() { ["Auth:BootstrapAdminKey"] = key });
        using var again = restarted.CreateClientWithKey(key);
        using var response = await again.GetAsync("/api/admin/keys");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Admin_creates_lists_and_revokes_keys_and_the_list_never_shows_a_key()
    {
        var admin = await ApiKeys.CreateAsync(ApiKeyRoles.Admin);
        using var client = factory.CreateClientWithKey(admin.Key);
        var name = "svc-" + Guid.NewGuid().ToString("N");

        using var create = await client.PostAsJsonAsync("/api/admin/keys", new { name, role = "requester" });
        var created = await Tickets.ReadAsync(create);
        var id = created["id"]!.GetValue<long>();
        var key = created["key"]!.GetValue<string>();
        using var list = await client.GetAsync("/api/admin/keys");
        var listText = await list.Content.ReadAsStringAsync();
        using var revoke = await client.PostAsync($"/api/admin/keys/{id}/revoke", null);
        using var revokeAgain = await client.DeleteAsync($"/api/admin/keys/{id}");
        using var one = await client.GetAsync($"/api/admin/keys/{id}");

        Assert.Multiple(async () =>
        {
            Assert.That(create.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(create.Headers.Location?.ToString(), Is.EqualTo($"/api/admin/keys/{id}"));
            Assert.That(key, Does.StartWith("odk_" + created["prefix"]!.GetValue<string>() + "_"));
            Assert.That(created["role"]!.GetValue<string>(), Is.EqualTo("requester"));
            Assert.That(listText, Does.Contain(name).And.Not.Contain(key).And.Not.Contain("keyHash"));
            Assert.That(revoke.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(revokeAgain.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), "revoking twice is fine");
            Assert.That((await Tickets.ReadAsync(one))["revokedAt"], Is.Not.Null);
        });
    }

    [Test]
    public async Task Creating_a_second_active_key_with_the_same_name_is_a_409_and_mints_nothing()
    {
        var admin = await ApiKeys.CreateAsync(ApiKeyRoles.Admin);
        using var client = factory.CreateClientWithKey(admin.Key);
        var name = "dup-" + Guid.NewGuid().ToString("N");

        using var first = await client.PostAsJsonAsync("/api/admin/keys", new { name, role = "agent" });
        using var second = await client.PostAsJsonAsync("/api/admin/keys", new { name, role = "agent" });

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(second.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM api_keys WHERE name = @n", ("n", name)), Is.EqualTo(1));
    }

    [TestCase("""{"name":"x","role":"root"}""", "role")]
    [TestCase("""{"role":"agent"}""", "name")]
    [TestCase("""{"name":"  ","role":"agent"}""", "name")]
    [TestCase("""{"name":"x","role":"agent","key":"odk_mine"}""", "key")]
    public async Task Invalid_key_create_body_is_a_400_naming_the_field(string json, string field)
    {
        var admin = await ApiKeys.CreateAsync(ApiKeyRoles.Admin);
        using var client = factory.CreateClientWithKey(admin.Key);

        using var response = await client.PostAsync("/api/admin/keys", Tickets.Json(json));

        await OpsDesk.Tests.Api.CreateTicketTests.AssertValidationProblem(response, field, field);
    }

    [Test]
    public async Task Revoking_an_unknown_key_is_a_404_problem()
    {
        var admin = await ApiKeys.CreateAsync(ApiKeyRoles.Admin);
        using var client = factory.CreateClientWithKey(admin.Key);

        using var response = await client.DeleteAsync("/api/admin/keys/987654321");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public void Secrets_compare_by_hash_and_refuse_near_misses()
    {
        var (prefix, key) = Secrets.NewKey();

        Assert.Multiple(() =>
        {
            Assert.That(Secrets.LookupPrefix(key), Is.EqualTo(prefix));
            Assert.That(Secrets.Matches(key, Secrets.Hash(key)), Is.True);
            Assert.That(Secrets.Matches(key + "x", Secrets.Hash(key)), Is.False);
            Assert.That(Secrets.Matches(key, null), Is.False);
            Assert.That(Secrets.Matches(key, new byte[5]), Is.False);
            Assert.That(Secrets.LookupPrefix("some-operator-chosen-key-1234"), Does.StartWith("boot-"));
            Assert.That(Secrets.NewKey().Key, Is.Not.EqualTo(key));
        });
    }

    private static async Task<DateTime?> ReadLastUsedAsync(long id)
    {
        await using var cmd = TestDatabase.DataSource.CreateCommand("SELECT last_used_at FROM api_keys WHERE id = @id");
        cmd.Parameters.Add(new NpgsqlParameter("id", id));
        var value = await cmd.ExecuteScalarAsync();
        return value is DateTime d ? d : null;
    }
}
