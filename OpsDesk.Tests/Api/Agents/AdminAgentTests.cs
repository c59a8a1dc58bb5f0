using System.Net;
using System.Net.Http.Json;
using OpsDesk.Db.Auth;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Api.Agents;

/// <summary><c>/api/admin/agents</c> and agents as the owners of agent and admin keys.</summary>
public sealed class AdminAgentTests : ApiFixture
{
    private HttpClient admin = null!;

    [OneTimeSetUp]
    public async Task CreateAdmin() => admin = Factory.CreateClientWithKey((await ApiKeys.CreateAsync(ApiKeyRoles.Admin)).Key);

    [OneTimeTearDown]
    public void DisposeAdmin() => admin.Dispose();

    [Test]
    public async Task Creating_the_same_agent_twice_answers_201_then_200_with_one_row()
    {
        var body = new { name = "alice-" + Guid.NewGuid().ToString("N"), role = "agent", email = "alice@example.com" };

        using var first = await admin.PostAsJsonAsync("/api/admin/agents", body);
        using var second = await admin.PostAsJsonAsync("/api/admin/agents", body);

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(second.Headers.GetValues("Idempotency-Replayed"), Is.EqualTo(new[] { "true" }));
        var id = (await Tickets.ReadAsync(first))["id"]!.GetValue<long>();
        Assert.That((await Tickets.ReadAsync(second))["id"]!.GetValue<long>(), Is.EqualTo(id));
        Assert.That(first.Headers.Location?.ToString(), Is.EqualTo($"/api/admin/agents/{id}"));
        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM agents WHERE name = @n", ("n", body.name)), Is.EqualTo(1));
    }

    [Test]
    public async Task Twenty_concurrent_creates_of_one_agent_make_one_row()
    {
        var body = new { name = "race-" + Guid.NewGuid().ToString("N"), role = "admin" };

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var response = await admin.PostAsJsonAsync("/api/admin/agents", body);
            return response.StatusCode;
        }));

        Assert.That(answers.Count(s => s == HttpStatusCode.Created), Is.EqualTo(1));
        Assert.That(answers.Count(s => s == HttpStatusCode.OK), Is.EqualTo(19));
        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM agents WHERE name = @n", ("n", body.name)), Is.EqualTo(1));
    }

    [Test]
    public async Task The_same_name_with_other_details_is_a_409_and_changes_nothing()
    {
        var name = "bob-" + Guid.NewGuid().ToString("N");
        using var first = await admin.PostAsJsonAsync("/api/admin/agents", new { name, role = "agent" });

        using var other = await admin.PostAsJsonAsync("/api/admin/agents", new { name, role = "admin" });

        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(other.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await TestDatabase.ScalarAsync<string>("SELECT role FROM agents WHERE name = @n", ("n", name)), Is.EqualTo("agent"));
    }

    [TestCase("{\"role\":\"agent\"}", "name")]
    [TestCase("{\"name\":\"x\",\"role\":\"requester\"}", "role")]
    [TestCase("{\"name\":\"x\",\"role\":\"agent\",\"email\":\"not-an-email\"}", "email")]
    [TestCase("{\"name\":\"x\",\"role\":\"agent\",\"team\":\"a\"}", "team")]
    public async Task Bad_input_is_a_validation_problem_naming_the_field_and_writes_nothing(string json, string field)
    {
        var before = await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM agents WHERE name = 'x'");

        using var response = await admin.PostAsync("/api/admin/agents", Tickets.Json(json));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await Tickets.ReadAsync(response))["errors"]![field], Is.Not.Null);
        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM agents WHERE name = 'x'"), Is.EqualTo(before));
    }

    [Test]
    public async Task Agents_are_listed_read_and_unknown_ids_are_404()
    {
        var agent = await Support.Agents.CreateAsync();

        using var list = await admin.GetAsync("/api/admin/agents");
        using var one = await admin.GetAsync($"/api/admin/agents/{agent.Id}");
        using var missing = await admin.GetAsync("/api/admin/agents/987654321");

        Assert.That((await Tickets.ReadAsync(list))["items"]!.AsArray().Select(a => a!["id"]!.GetValue<long>()), Does.Contain(agent.Id));
        Assert.That((await Tickets.ReadAsync(one))["name"]!.GetValue<string>(), Is.EqualTo(agent.Name));
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Agents_and_requesters_may_not_manage_agents()
    {
        using var requester = Factory.CreateClientWithKey((await ApiKeys.CreateAsync(ApiKeyRoles.Requester)).Key);

        using var byAgent = await Api.GetAsync("/api/admin/agents");
        using var byRequester = await requester.PostAsJsonAsync("/api/admin/agents", new { name = "x", role = "agent" });

        Assert.That(byAgent.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(byRequester.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Deactivating_an_agent_stops_all_its_keys_on_the_next_request()
    {
        var (agent, key) = await Support.Agents.CreateWithKeyAsync();
        var second = await ApiKeys.Repository.CreateAsync("second-" + Guid.NewGuid().ToString("N"), ApiKeyRoles.Agent, agent.Id);
        using var client = Factory.CreateClientWithKey(key.Key);
        using var client2 = Factory.CreateClientWithKey(second!.Key);
        using var before = await client.GetAsync("/api/tickets?limit=1");

        using var deactivate = await admin.PostAsync($"/api/admin/agents/{agent.Id}/deactivate", null);
        using var again = await admin.PostAsync($"/api/admin/agents/{agent.Id}/deactivate", null);
        using var after = await client.GetAsync("/api/tickets?limit=1");
        using var after2 = await client2.GetAsync("/api/tickets?limit=1");

        Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(deactivate.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Tickets.ReadAsync(deactivate))["active"]!.GetValue<bool>(), Is.False);
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(after2.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task A_key_created_for_an_agent_belongs_to_it_and_authenticates()
    {
        var agent = await Support.Agents.CreateAsync();

        using var response = await admin.PostAsJsonAsync("/api/admin/keys", new { name = "for-agent-" + Guid.NewGuid().ToString("N"), role = "agent", agentId = agent.Id });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var created = await Tickets.ReadAsync(response);
        Assert.That(created["agentId"]!.GetValue<long>(), Is.EqualTo(agent.Id));
        using var client = Factory.CreateClientWithKey(created["key"]!.GetValue<string>());
        using var list = await client.GetAsync("/api/tickets?limit=1");
        Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_key_without_an_agent_gets_the_agent_named_like_it_and_a_rotated_key_keeps_that_agent()
    {
        var name = "rotating-" + Guid.NewGuid().ToString("N");
        using var first = await admin.PostAsJsonAsync("/api/admin/keys", new { name, role = "agent" });
        var firstKey = await Tickets.ReadAsync(first);
        using var revoke = await admin.DeleteAsync($"/api/admin/keys/{firstKey["id"]}");

        using var second = await admin.PostAsJsonAsync("/api/admin/keys", new { name, role = "agent" });

        var agentId = await TestDatabase.ScalarAsync<long>("SELECT id FROM agents WHERE name = @n", ("n", name));
        Assert.That(firstKey["agentId"]!.GetValue<long>(), Is.EqualTo(agentId));
        Assert.That((await Tickets.ReadAsync(second))["agentId"]!.GetValue<long>(), Is.EqualTo(agentId));
    }

    [Test]
    public async Task A_key_for_a_deactivated_or_unknown_agent_or_of_another_role_is_a_400_and_no_key()
    {
        var deactivated = await Support.Agents.CreateAsync();
        await Support.Agents.Repository.DeactivateAsync(deactivated.Id);
        var agentOnly = await Support.Agents.CreateAsync();
        var name = "refused-" + Guid.NewGuid().ToString("N");

        using var inactive = await admin.PostAsJsonAsync("/api/admin/keys", new { name, role = "agent", agentId = deactivated.Id });
        using var unknown = await admin.PostAsJsonAsync("/api/admin/keys", new { name, role = "agent", agentId = 987654321 });
        using var otherRole = await admin.PostAsJsonAsync("/api/admin/keys", new { name, role = "admin", agentId = agentOnly.Id });
        using var requester = await admin.PostAsJsonAsync("/api/admin/keys", new { name, role = "requester", agentId = agentOnly.Id });

        foreach (var response in new[] { inactive, unknown, otherRole, requester })
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((await Tickets.ReadAsync(response))["errors"]!["agentId"], Is.Not.Null);
        }

        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM api_keys WHERE name = @n", ("n", name)), Is.Zero);
        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM agents WHERE name = @n", ("n", name)), Is.Zero);
    }
}
