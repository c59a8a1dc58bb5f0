using System.Net;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Api;

public sealed class UpdateTicketTests : ApiFixture
{
    private async Task<long> NewTicketAsync() => (await Tickets.CreateAsync(Api))["id"]!.GetValue<long>();

    private Task<HttpResponseMessage> PatchAsync(long id, string json) =>
        Api.PatchAsync($"/api/tickets/{id}", Tickets.Json(json));

    private static async Task<List<(string Type, string? From, string To)>> ChangeEventsAsync(long id)
    {
        var list = new List<(string, string?, string)>();
        await using var cmd = TestDatabase.DataSource.CreateCommand(
            "SELECT type, payload->>'from', payload->>'to' FROM ticket_events WHERE ticket_id = @id AND type IN ('ticket.status_changed', 'ticket.priority_changed') ORDER BY id");
        cmd.Parameters.AddWithValue("id", id);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            list.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2)));
        return list;
    }

    [Test]
    public async Task Patch_status_returns_the_ticket_and_writes_status_changed_from_to()
    {
        var id = await NewTicketAsync();

        using var response = await PatchAsync(id, """{"status":"pending"}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var ticket = await Tickets.ReadAsync(response);
        Assert.That(ticket["status"]!.GetValue<string>(), Is.EqualTo("pending"));
        Assert.That(ticket["id"]!.GetValue<long>(), Is.EqualTo(id));
        Assert.That(await ChangeEventsAsync(id), Is.EqualTo(new[] { ("ticket.status_changed", (string?)"open", "pending") }));
    }

    [Test]
    public async Task Patch_priority_updates_the_ticket_priority_and_writes_priority_changed()
    {
        var id = await NewTicketAsync();

        using var response = await PatchAsync(id, """{"priority":"P0"}""");

        var ticket = await Tickets.ReadAsync(response);
        Assert.That(ticket["priority"]!.GetValue<string>(), Is.EqualTo("P0"));
        Assert.That(await TestDatabase.ScalarAsync<string>("SELECT priority FROM tickets WHERE id = @id", ("id", id)), Is.EqualTo("P0"));
        Assert.That(await ChangeEventsAsync(id), Is.EqualTo(new[] { ("ticket.priority_changed", (string?)null, "P0") }));
    }

    [Test]
    public async Task Patch_of_both_writes_priority_then_status_in_one_transaction()
    {
        var id = await NewTicketAsync();
        await PatchAsync(id, """{"priority":"P2"}""");

        using var response = await PatchAsync(id, """{"status":"resolved","priority":"P1"}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var events = await ChangeEventsAsync(id);
        Assert.That(events.Skip(1), Is.EqualTo(new[]
        {
            ("ticket.priority_changed", (string?)"P2", "P1"),
            ("ticket.status_changed", (string?)"open", "resolved"),
        }));
    }

    [Test]
    public async Task Patch_to_the_current_values_is_a_no_op_200_without_events()
    {
        var id = await NewTicketAsync();
        await PatchAsync(id, """{"status":"pending","priority":"P3"}""");

        using var again = await PatchAsync(id, """{"status":"pending","priority":"P3"}""");
        using var open = await PatchAsync(id, """{"status":"pending"}""");

        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(open.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Tickets.ReadAsync(again))["status"]!.GetValue<string>(), Is.EqualTo("pending"));
        Assert.That(await ChangeEventsAsync(id), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Concurrent_identical_patches_write_one_event()
    {
        var id = await NewTicketAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PatchAsync(id, """{"status":"resolved"}""")));

        Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
        foreach (var r in responses)
            r.Dispose();
        Assert.That(await ChangeEventsAsync(id), Has.Count.EqualTo(1));
    }

    [TestCase("open", "pending", "open")]
    [TestCase("pending", "open", null)]
    [TestCase("open", "resolved", "open")]
    [TestCase("open", "closed", null)]
    [TestCase("pending", "resolved", "closed")]
    public async Task Allowed_transitions_succeed(string first, string second, string? third)
    {
        var id = await NewTicketAsync();
        foreach (var status in new[] { first, second, third }.Where(s => s is not null))
        {
            using var response = await PatchAsync(id, $$"""{"status":"{{status}}"}""");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"to {status}");
        }
    }

    [TestCase("resolved", "pending")]
    [TestCase("closed", "open")]
    [TestCase("closed", "resolved")]
    [TestCase("closed", "pending")]
    public async Task Invalid_transitions_are_a_409_problem_and_write_nothing(string first, string then)
    {
        var id = await NewTicketAsync();
        await PatchAsync(id, $$"""{"status":"{{first}}"}""");

        using var response = await PatchAsync(id, $$"""{"status":"{{then}}"}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var problem = await Tickets.ReadAsync(response);
        Assert.That(problem["status"]!.GetValue<int>(), Is.EqualTo(409));
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain(first));
        Assert.That(await TestDatabase.ScalarAsync<string>("SELECT status FROM tickets WHERE id = @id", ("id", id)), Is.EqualTo(first));
        Assert.That(await ChangeEventsAsync(id), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_closed_ticket_refuses_a_priority_change_but_accepts_its_current_values()
    {
        var id = await NewTicketAsync();
        await PatchAsync(id, """{"status":"closed","priority":"P2"}""");

        using var change = await PatchAsync(id, """{"priority":"P0"}""");
        using var same = await PatchAsync(id, """{"status":"closed","priority":"P2"}""");

        Assert.That(change.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(same.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_resolved_ticket_can_be_reopened()
    {
        var id = await NewTicketAsync();
        await PatchAsync(id, """{"status":"resolved"}""");

        using var response = await PatchAsync(id, """{"status":"open"}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await ChangeEventsAsync(id))[^1], Is.EqualTo(("ticket.status_changed", (string?)"resolved", "open")));
    }

    [TestCase("""{"status":"done"}""", "status")]
    [TestCase("""{"status":"Open"}""", "status")]
    [TestCase("""{"priority":"P4"}""", "priority")]
    [TestCase("""{"priority":"high"}""", "priority")]
    [TestCase("""{"status":3}""", "status")]
    [TestCase("""{"assignee":"bob"}""", "assignee")]
    [TestCase("""{"status":"open","extra":true}""", "extra")]
    [TestCase("""{}""", "body")]
    [TestCase("""{"status":null}""", "body")]
    [TestCase("""[1]""", "body")]
    [TestCase("""{"status":""", "status")]
    public async Task Invalid_bodies_are_a_400_validation_problem_naming_the_field(string json, string field)
    {
        var id = await NewTicketAsync();

        using var response = await PatchAsync(id, json);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await response.Content.ReadAsStringAsync());
        var problem = (await Tickets.ReadAsync(response)).AsObject();
        Assert.That(problem["errors"]!.AsObject().ContainsKey(field), Is.True, problem.ToJsonString());
        Assert.That(await ChangeEventsAsync(id), Is.Empty);
    }

    [Test]
    public async Task An_empty_body_is_a_400_problem()
    {
        var id = await NewTicketAsync();

        using var response = await PatchAsync(id, "");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task A_body_that_is_not_json_is_a_415_problem()
    {
        var id = await NewTicketAsync();

        using var response = await Api.PatchAsync($"/api/tickets/{id}", new StringContent("status=open"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
    }

    [Test]
    public async Task An_unknown_ticket_is_a_404_problem()
    {
        using var response = await PatchAsync(long.MaxValue, """{"status":"pending"}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var problem = await Tickets.ReadAsync(response);
        Assert.That(problem["title"]!.GetValue<string>(), Is.EqualTo("Ticket not found"));
    }

    [Test]
    public async Task Get_after_patch_shows_the_new_values_and_the_change_events()
    {
        var id = await NewTicketAsync();
        await PatchAsync(id, """{"priority":"P1"}""");

        using var response = await Api.GetAsync($"/api/tickets/{id}");
        var ticket = await Tickets.ReadAsync(response);

        Assert.That(ticket["priority"]!.GetValue<string>(), Is.EqualTo("P1"));
        var types = ticket["events"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()).ToList();
        Assert.That(types, Is.EqualTo(new[] { "ticket.created", "ticket.priority_changed" }));
        var payload = ticket["events"]!.AsArray()[1]!["payload"]!.AsObject();
        Assert.That(payload["to"]!.GetValue<string>(), Is.EqualTo("P1"));
        Assert.That(payload.ContainsKey("from"), Is.True);
    }
}
