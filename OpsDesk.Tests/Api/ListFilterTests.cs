using System.Net;
using OpsDesk.Db.Auth;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Api;

/// <summary>The queue filters (assignee, tag, sla, awaiting) alone and combined with the others, keyset-paged.</summary>
public sealed class ListFilterTests : ApiFixture
{
    private async Task<long> NewTicketAsync(HttpClient? client = null) => (await Tickets.CreateAsync(client ?? Api))["id"]!.GetValue<long>();

    private async Task PatchAsync(long id, string json)
    {
        using var response = await Api.PatchAsync($"/api/tickets/{id}", Tickets.Json(json));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    /// <summary>Every id the filter lists, following nextCursor page by page.</summary>
    private static async Task<List<long>> AllPagesAsync(HttpClient client, string filter, int limit = 2)
    {
        var ids = new List<long>();
        string? cursor = null;
        do
        {
            using var response = await client.GetAsync($"/api/tickets?{filter}&limit={limit}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
            var page = await Tickets.ReadAsync(response);
            ids.AddRange(page["items"]!.AsArray().Select(t => t!["id"]!.GetValue<long>()));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        return ids;
    }

    [Test]
    public async Task Assignee_me_id_and_none_combine_with_status_and_tag_and_page_without_duplicates_or_gaps()
    {
        var (agent, key) = await Support.Agents.CreateWithKeyAsync();
        using var me = Factory.CreateClientWithKey(key.Key);
        var tag = "q-" + Guid.NewGuid().ToString("N")[..12];
        var ids = new List<long>();
        for (var i = 0; i < 9; i++)
        {
            var id = await NewTicketAsync();
            ids.Add(id);
            // 0,3,6: mine and open; 1,4,7: mine and pending; 2,5,8: unassigned and open. All tagged.
            var assignee = i % 3 == 2 ? "null" : agent.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var status = i % 3 == 1 ? ",\"status\":\"pending\"" : "";
            await PatchAsync(id, $"{{\"assigneeId\":{assignee},\"addTags\":[\"{tag}\"]{status}}}");
        }

        ids.Reverse(); // newest first
        var mine = ids.Where((_, i) => i % 3 != 0).ToList();
        Assert.Multiple(async () =>
        {
            Assert.That(await AllPagesAsync(me, "assignee=me"), Is.EqualTo(mine));
            Assert.That(await AllPagesAsync(Api, $"assignee={agent.Id}"), Is.EqualTo(mine));
            Assert.That(await AllPagesAsync(me, "assignee=me&status=open"), Is.EqualTo(ids.Where((_, i) => i % 3 == 2).ToList()));
            Assert.That(await AllPagesAsync(Api, $"tag={tag}"), Is.EqualTo(ids));
            Assert.That(await AllPagesAsync(Api, $"tag={tag}&assignee=none"), Is.EqualTo(ids.Where((_, i) => i % 3 == 0).ToList()));
            Assert.That(await AllPagesAsync(me, $"tag={tag}&assignee=me&status=pending", limit: 1), Is.EqualTo(ids.Where((_, i) => i % 3 == 1).ToList()));
        });
    }

    [Test]
    public async Task Sla_and_awaiting_filters_combine_with_tag_and_q()
    {
        var tag = "s-" + Guid.NewGuid().ToString("N")[..12];
        var word = "zebra" + Guid.NewGuid().ToString("N")[..8];
        var requester = Factory.CreateClientWithKey((await ApiKeys.CreateAsync(ApiKeyRoles.Requester)).Key);
        var warned = await NewTicketAsync(requester);
        var breached = await NewTicketAsync(requester);
        var answered = (await Tickets.CreateAsync(requester, Tickets.Body(subject: "About " + word)))["id"]!.GetValue<long>();
        foreach (var id in new[] { warned, breached, answered })
            await PatchAsync(id, $"{{\"addTags\":[\"{tag}\"]}}");
        await TestDatabase.ExecuteAsync("UPDATE tickets SET sla_state = 'warned' WHERE id = @id", ("id", warned));
        await TestDatabase.ExecuteAsync("UPDATE tickets SET sla_state = 'breached' WHERE id = @id", ("id", breached));
        await Support.Comments.AddAsync(requester, warned, "hello?");
        await Support.Comments.AddAsync(requester, answered, "hello?");
        await Support.Comments.AddAsync(Api, answered, "Hi! Looking into it.");
        await Support.Comments.AddAsync(Api, breached, "internal: escalate", isPublic: false);

        Assert.Multiple(async () =>
        {
            Assert.That(await AllPagesAsync(Api, $"tag={tag}&sla=warned"), Is.EqualTo(new[] { warned }));
            Assert.That(await AllPagesAsync(Api, $"tag={tag}&sla=breached"), Is.EqualTo(new[] { breached }));
            Assert.That(await AllPagesAsync(Api, $"tag={tag}&awaiting=agent"), Is.EqualTo(new[] { warned }), "a note is not a public answer; an agent's reply is");
            Assert.That(await AllPagesAsync(Api, $"tag={tag}&q={word}"), Is.EqualTo(new[] { answered }));
            Assert.That(await AllPagesAsync(requester, $"tag={tag}&awaiting=agent&sla=warned"), Is.EqualTo(new[] { warned }));
        });
    }

    [TestCase("assignee=someone", "assignee")]
    [TestCase("assignee=0", "assignee")]
    [TestCase("tag=Not%20A%20Slug", "tag")]
    [TestCase("sla=running", "sla")]
    [TestCase("awaiting=requester", "awaiting")]
    public async Task Bad_filters_are_a_validation_problem_naming_the_parameter(string query, string field)
    {
        using var response = await Api.GetAsync("/api/tickets?" + query);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await Tickets.ReadAsync(response))["errors"]![field], Is.Not.Null);
    }

    [Test]
    public async Task Assignee_me_from_a_requester_is_a_400()
    {
        using var requester = Factory.CreateClientWithKey((await ApiKeys.CreateAsync(ApiKeyRoles.Requester)).Key);

        using var response = await requester.GetAsync("/api/tickets?assignee=me");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await Tickets.ReadAsync(response))["errors"]!["assignee"], Is.Not.Null);
    }
}
