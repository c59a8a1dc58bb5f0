using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using OpsDesk.Tests.Support;
using OpsDesk.Tests.Worker.Commands;
using OpsDesk.Worker.Commands;

namespace OpsDesk.Tests.Worker;

/// <summary><c>opsdesk agents</c> and <c>keys create --agent</c>, as a separate process against the real test database.</summary>
public sealed class AgentsCommandTests
{
    private static Task<(int Code, string Out, string Err)> RunAsync(params string[] args) =>
        OpsdeskProcessTests.RunAsync([.. args, "--connection-string", TestDatabase.ConnectionString]);

    [Test]
    public async Task Create_is_idempotent_list_shows_the_agent_and_deactivate_stops_its_keys()
    {
        var name = "cli-agent-" + Guid.NewGuid().ToString("N");

        var (code, output, error) = await RunAsync("agents", "create", "--name", name, "--role", "agent", "--email", "cli@example.com", "--output", "json");
        var (againCode, again, _) = await RunAsync("agents", "create", "--name", name, "--role", "agent", "--email", "cli@example.com", "--output", "json");

        Assert.That(code, Is.EqualTo(Cli.Ok), error);
        Assert.That(againCode, Is.EqualTo(Cli.Ok));
        var id = JsonNode.Parse(output)!["id"]!.GetValue<long>();
        Assert.That(JsonNode.Parse(again)!["id"]!.GetValue<long>(), Is.EqualTo(id));
        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM agents WHERE name = @n", ("n", name)), Is.EqualTo(1));

        var (keyCode, keyOut, keyErr) = await RunAsync("keys", "create", "--role", "agent", "--name", name + "-key", "--agent", id.ToString(CultureInfo.InvariantCulture), "-o", "json");
        Assert.That(keyCode, Is.EqualTo(Cli.Ok), keyErr);
        var key = JsonNode.Parse(keyOut)!;
        Assert.That(key["agentId"]!.GetValue<long>(), Is.EqualTo(id));

        var (listCode, table, _) = await RunAsync("agents", "list");
        Assert.That(listCode, Is.EqualTo(Cli.Ok));
        Assert.That(table, Does.StartWith("ID").And.Contain(name));

        await using var factory = new ApiFactory();
        using var client = factory.CreateClientWithKey(key["key"]!.GetValue<string>());
        using var before = await client.GetAsync("/api/tickets?limit=1");
        var (deactivateCode, deactivated, _) = await RunAsync("agents", "deactivate", id.ToString(CultureInfo.InvariantCulture));
        using var after = await client.GetAsync("/api/tickets?limit=1");

        Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(deactivateCode, Is.EqualTo(Cli.Ok));
        Assert.That(deactivated, Does.Contain($"Agent {id} is deactivated"));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task A_name_held_by_another_agent_and_an_unknown_agent_fail_with_exit_1_and_a_message()
    {
        var agent = await Support.Agents.CreateAsync();

        var (conflict, _, conflictErr) = await RunAsync("agents", "create", "--name", agent.Name, "--role", "admin");
        var (unknown, _, unknownErr) = await RunAsync("agents", "deactivate", "987654321");
        var (keyForUnknown, _, keyErr) = await RunAsync("keys", "create", "--role", "agent", "--name", "k-" + Guid.NewGuid().ToString("N"), "--agent", "987654321");

        Assert.That(conflict, Is.EqualTo(Cli.Failed));
        Assert.That(conflictErr, Does.Contain("already holds"));
        Assert.That(unknown, Is.EqualTo(Cli.Failed));
        Assert.That(unknownErr, Does.Contain("no agent 987654321"));
        Assert.That(keyForUnknown, Is.EqualTo(Cli.Failed));
        Assert.That(keyErr, Does.Contain("no agent 987654321"));
    }

    [TestCase("agents", "create", "--role", "agent")]
    [TestCase("agents", "create", "--name", "x", "--role", "requester")]
    [TestCase("agents", "create", "--name", "x", "--email", "not-an-email")]
    [TestCase("agents", "deactivate", "abc")]
    [TestCase("agents", "list", "--output", "csv")]
    public async Task Bad_usage_exits_with_2_and_a_message(params string[] args)
    {
        var (code, _, error) = await RunAsync(args);

        Assert.That(code, Is.EqualTo(Cli.BadUsage));
        Assert.That(error, Does.Contain("error:"));
    }
}
