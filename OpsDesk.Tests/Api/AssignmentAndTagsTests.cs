using System.Net;
using System.Text.Json.Nodes;
using OpsDesk.Db.Auth;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Api;

/// <summary><c>PATCH /api/tickets/{id}</c> with assigneeId, tags, addTags and removeTags.</summary>
public sealed class AssignmentAndTagsTests : ApiFixture
{
    private async Task<long> NewTicketAsync() => (await Tickets.CreateAsync(Api))["id"]!.GetValue<long>();

    private Task<HttpResponseMessage> PatchAsync(long id, string json) => Api.PatchAsync($"/api/tickets/{id}", Tickets.Json(json));

    private static async Task<List<JsonNode>> PayloadsAsync(long id, string type)
    {
        var payloads = new List<JsonNode>();
        await using var cmd = TestDatabase.DataSource.CreateCommand("SELECT payload::text FROM ticket_events WHERE ticket_id = @t AND type = @type ORDER BY id");
        cmd.Parameters.AddWithValue("t", id);
        cmd.Parameters.AddWithValue("type", type);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            payloads.Add(JsonNode.Parse(reader.GetString(0))!);
        return payloads;
    }

    [Test]
    public async Task Assigning_reassigning_and_unassigning_write_one_assigned_event_each_and_repeats_write_none()
    {
        var id = await NewTicketAsync();
        var first = await Support.Agents.CreateAsync();
        var second = await Support.Agents.CreateAsync(ApiKeyRoles.Admin);

        using var assign = await PatchAsync(id, $"{{\"assigneeId\":{first.Id}}}");
        using var again = await PatchAsync(id, $"{{\"assigneeId\":{first.Id}}}");
        using var reassign = await PatchAsync(id, $"{{\"assigneeId\":{second.Id}}}");
        using var statusOnly = await PatchAsync(id, "{\"status\":\"pending\"}");
        using var unassign = await PatchAsync(id, "{\"assigneeId\":null}");

        Assert.That(assign.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Tickets.ReadAsync(assign))["assigneeId"]!.GetValue<long>(), Is.EqualTo(first.Id));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Tickets.ReadAsync(statusOnly))["assigneeId"]!.GetValue<long>(), Is.EqualTo(second.Id), "a PATCH without assigneeId keeps the assignee");
        Assert.That((await Tickets.ReadAsync(unassign))["assigneeId"], Is.Null);
        var events = await PayloadsAsync(id, "ticket.assigned");
        Assert.That(events.Select(e => (e["from"]?.GetValue<long>(), e["to"]?.GetValue<long>())), Is.EqualTo(new (long?, long?)[]
        {
            (null, first.Id),
            (first.Id, second.Id),
            (second.Id, null),
        }));
    }

    [Test]
    public async Task Assigning_an_unknown_or_deactivated_agent_is_a_400_naming_assigneeId_and_changes_nothing()
    {
        var id = await NewTicketAsync();
        var gone = await Support.Agents.CreateAsync();
        await Support.Agents.Repository.DeactivateAsync(gone.Id);

        using var unknown = await PatchAsync(id, "{\"assigneeId\":987654321}");
        using var deactivated = await PatchAsync(id, $"{{\"assigneeId\":{gone.Id},\"status\":\"pending\"}}");
        using var zero = await PatchAsync(id, "{\"assigneeId\":0}");

        foreach (var response in new[] { unknown, deactivated, zero })
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((await Tickets.ReadAsync(response))["errors"]!["assigneeId"], Is.Not.Null);
        }

        Assert.That(await TestDatabase.ScalarAsync<string>("SELECT status || coalesce(assignee_id::text, '-') FROM tickets WHERE id = @id", ("id", id)), Is.EqualTo("open-"));
        Assert.That(await Support.Comments.EventTypesAsync(id), Is.EqualTo(new[] { "ticket.created" }));
    }

    [Test]
    public async Task Tags_replace_add_and_remove_with_sorted_added_and_removed_and_no_event_without_a_change()
    {
        var id = await NewTicketAsync();

        using var set = await PatchAsync(id, "{\"tags\":[\"vip\",\"billing\",\"vip\"]}");
        using var same = await PatchAsync(id, "{\"tags\":[\"billing\",\"vip\"]}");
        using var edit = await PatchAsync(id, "{\"addTags\":[\"refund\",\"app-2-1\"],\"removeTags\":[\"vip\",\"never-there\"]}");
        using var noop = await PatchAsync(id, "{\"removeTags\":[\"never-there\"]}");
        using var replace = await PatchAsync(id, "{\"tags\":[]}");

        Assert.That((await Tickets.ReadAsync(set))["tags"]!.AsArray().Select(t => t!.GetValue<string>()), Is.EqualTo(new[] { "billing", "vip" }));
        Assert.That(same.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Tickets.ReadAsync(edit))["tags"]!.AsArray().Select(t => t!.GetValue<string>()), Is.EqualTo(new[] { "app-2-1", "billing", "refund" }));
        Assert.That(noop.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Tickets.ReadAsync(replace))["tags"]!.AsArray(), Is.Empty);
        var events = await PayloadsAsync(id, "ticket.tags_changed");
        Assert.That(events.Select(e => e.ToJsonString()), Is.EqualTo(new[]
        {
            "{\"added\":[\"billing\",\"vip\"],\"removed\":[]}",
            "{\"added\":[\"app-2-1\",\"refund\"],\"removed\":[\"vip\"]}",
            "{\"added\":[],\"removed\":[\"app-2-1\",\"billing\",\"refund\"]}",
        }));
        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM ticket_tags WHERE ticket_id = @id", ("id", id)), Is.Zero);
    }

    [TestCase("{\"tags\":[\"VIP\"]}", "tags")]
    [TestCase("{\"tags\":[\"-lead\"]}", "tags")]
    [TestCase("{\"tags\":[\"two words\"]}", "tags")]
    [TestCase("{\"tags\":[null]}", "tags")]
    [TestCase("{\"addTags\":[\"x123456789x123456789x123456789x1234567890\"]}", "addTags")]
    [TestCase("{\"tags\":[\"a\"],\"addTags\":[\"b\"]}", "tags")]
    [TestCase("{\"tags\":\"vip\"}", "tags")]
    [TestCase("{\"removeTags\":[\"\"]}", "removeTags")]
    public async Task Bad_tags_are_a_validation_problem_naming_the_field_and_change_nothing(string json, string field)
    {
        var id = await NewTicketAsync();

        using var response = await PatchAsync(id, json);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await Tickets.ReadAsync(response))["errors"]![field], Is.Not.Null, await response.Content.ReadAsStringAsync());
        Assert.That(await Support.Comments.CountEventsAsync(id, "ticket.tags_changed"), Is.Zero);
    }

    [Test]
    public async Task More_than_20_tags_on_a_ticket_is_a_400_and_changes_nothing()
    {
        var id = await NewTicketAsync();
        var twenty = string.Join(",", Enumerable.Range(1, 20).Select(i => $"\"t{i}\""));
        using var full = await PatchAsync(id, $"{{\"tags\":[{twenty}]}}");

        using var tooMany = await PatchAsync(id, "{\"addTags\":[\"one-more\"]}");
        using var tooManyAtOnce = await PatchAsync(id, $"{{\"tags\":[{twenty},\"t21\"]}}");

        Assert.That(full.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(tooMany.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await Tickets.ReadAsync(tooMany))["errors"]!["addTags"], Is.Not.Null);
        Assert.That(tooManyAtOnce.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await TestDatabase.ScalarAsync<int>("SELECT cardinality(tags) FROM tickets WHERE id = @id", ("id", id)), Is.EqualTo(20));
        Assert.That(await Support.Comments.CountEventsAsync(id, "ticket.tags_changed"), Is.EqualTo(1));
    }

    [Test]
    public async Task Status_priority_assignee_and_tags_in_one_patch_commit_together()
    {
        var id = await NewTicketAsync();
        var agent = await Support.Agents.CreateAsync();

        using var response = await PatchAsync(id, $"{{\"status\":\"pending\",\"priority\":\"P1\",\"assigneeId\":{agent.Id},\"addTags\":[\"vip\"]}}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await Support.Comments.EventTypesAsync(id), Is.EqualTo(new[]
        {
            "ticket.created", "ticket.priority_changed", "ticket.status_changed", "ticket.assigned", "ticket.tags_changed",
        }));
    }
}
