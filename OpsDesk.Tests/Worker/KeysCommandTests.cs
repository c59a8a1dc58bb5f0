using System.Net;
using System.Text.Json.Nodes;
using OpsDesk.Db.Auth;
using OpsDesk.Tests.Support;
using OpsDesk.Worker.Commands;

namespace OpsDesk.Tests.Worker;

/// <summary><c>opsdesk keys</c> against the real test database.</summary>
public sealed class KeysCommandTests
{
    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await Cli.RunAsync([.. args, "--connection-string", TestDatabase.ConnectionString], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Test]
    public async Task Create_with_json_output_prints_id_name_role_and_a_key_that_authenticates()
    {
        var name = "cli-" + Guid.NewGuid().ToString("N");

        var (code, output, error) = await RunAsync("keys", "create", "--role", "agent", "--name", name, "--output", "json");

        Assert.That(code, Is.EqualTo(0), error);
        var json = JsonNode.Parse(output)!.AsObject();
        Assert.That(json.Select(p => p.Key), Is.EquivalentTo(new[] { "id", "name", "role", "key", "agentId" }));
        Assert.That(json["role"]!.GetValue<string>(), Is.EqualTo("agent"));
        Assert.That(json["name"]!.GetValue<string>(), Is.EqualTo(name));
        var key = json["key"]!.GetValue<string>();
        await using var factory = new ApiFactory();
        using var client = factory.CreateClientWithKey(key);
        using var response = await client.GetAsync("/api/tickets?limit=1");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var stored = await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM api_keys WHERE id = @id AND role = 'agent'", ("id", json["id"]!.GetValue<long>()));
        Assert.That(stored, Is.EqualTo(1));
    }

    [Test]
    public async Task Create_with_text_output_prints_the_key_once_on_its_own_line()
    {
        var (code, output, _) = await RunAsync("keys", "create", "--role", "requester", "--name", "cli-" + Guid.NewGuid().ToString("N"));

        Assert.That(code, Is.EqualTo(0));
        var keyLines = output.Split('\n', StringSplitOptions.TrimEntries).Where(l => l.StartsWith(Secrets.KeyMarker, StringComparison.Ordinal)).ToList();
        Assert.That(keyLines, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task List_shows_keys_without_the_secret_as_table_and_json()
    {
        var name = "cli-list-" + Guid.NewGuid().ToString("N");
        var (_, created, _) = await RunAsync("keys", "create", "--role", "admin", "--name", name, "-o", "json");
        var key = JsonNode.Parse(created)!["key"]!.GetValue<string>();
        var id = JsonNode.Parse(created)!["id"]!.GetValue<long>();

        var (tableCode, table, _) = await RunAsync("keys", "list");
        var (jsonCode, json, _) = await RunAsync("keys", "list", "--output", "json");

        Assert.That(tableCode, Is.EqualTo(0));
        Assert.That(jsonCode, Is.EqualTo(0));
        Assert.That(table, Does.StartWith("ID").And.Contain(name).And.Not.Contain(key));
        Assert.That(json, Does.Not.Contain(key));
        var row = JsonNode.Parse(json)!.AsArray().Single(r => r!["id"]!.GetValue<long>() == id)!.AsObject();
        Assert.That(row.Select(p => p.Key), Is.EquivalentTo(new[] { "id", "name", "role", "prefix", "createdAt", "lastUsedAt", "revokedAt" }));
        Assert.That(key, Does.StartWith($"odk_{row["prefix"]!.GetValue<string>()}_"));
    }

    [Test]
    public async Task Revoke_stops_the_key_on_the_next_request_and_is_idempotent()
    {
        var key = await ApiKeys.CreateAsync(ApiKeyRoles.Agent);
        await using var factory = new ApiFactory();
        using var client = factory.CreateClientWithKey(key.Key);
        using var before = await client.GetAsync("/api/tickets?limit=1");

        var (code, output, _) = await RunAsync("keys", "revoke", key.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var (again, againOutput, _) = await RunAsync("keys", "revoke", key.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var after = await client.GetAsync("/api/tickets?limit=1");

        Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Contain($"Revoked key {key.Id}"));
        Assert.That(again, Is.EqualTo(0));
        Assert.That(againOutput, Does.Contain("already revoked"));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Revoking_an_unknown_key_fails_with_exit_1()
    {
        var (code, _, error) = await RunAsync("keys", "revoke", "987654321");

        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.Contain("no key 987654321"));
    }

    [Test]
    public async Task Creating_a_second_active_key_with_the_same_name_fails_with_exit_1()
    {
        var name = "cli-dup-" + Guid.NewGuid().ToString("N");
        var (first, _, _) = await RunAsync("keys", "create", "--role", "agent", "--name", name);

        var (second, _, error) = await RunAsync("keys", "create", "--role", "agent", "--name", name);

        Assert.That(first, Is.EqualTo(0));
        Assert.That(second, Is.EqualTo(1));
        Assert.That(error, Does.Contain("already named"));
        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM api_keys WHERE name = @n", ("n", name)), Is.EqualTo(1));
    }

    [TestCase("keys", "create", "--name", "x")]
    [TestCase("keys", "create", "--role", "agent")]
    [TestCase("keys", "create", "--role", "root", "--name", "x")]
    [TestCase("keys", "create", "--role", "agent", "--name", "x", "--output", "yaml")]
    [TestCase("keys", "list", "--output", "csv")]
    [TestCase("keys", "revoke")]
    [TestCase("keys", "revoke", "abc")]
    [TestCase("keys", "rotate")]
    public async Task Bad_usage_exits_with_2_and_a_message(params string[] args)
    {
        var (code, _, error) = await RunAsync(args);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("error:"));
    }

    [Test]
    public async Task Keys_without_a_database_is_bad_usage()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var saved = Environment.GetEnvironmentVariable("ConnectionStrings__OpsDesk");
        Environment.SetEnvironmentVariable("ConnectionStrings__OpsDesk", null);
        try
        {
            var code = await Cli.RunAsync(["keys", "list"], stdout, stderr);

            Assert.That(code, Is.EqualTo(2));
            Assert.That(stderr.ToString(), Does.Contain("no database configured"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("ConnectionStrings__OpsDesk", saved);
        }
    }

    [Test]
    public async Task Unreachable_database_fails_with_exit_1()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await Cli.RunAsync(["keys", "list", "--connection-string", "Host=127.0.0.1;Port=1;Username=postgres;Database=x;Timeout=2"], stdout, stderr);

        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr.ToString(), Does.StartWith("error:"));
    }
}
