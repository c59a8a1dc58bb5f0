using System.Net;
using OpsDesk.Db.Auth;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Api.Comments;

/// <summary>
/// Every role × comment visibility: the requester (its key or the ticket's token) never sees an internal
/// note — not in the comments, not in the ticket detail, not in the timeline; agents and admins see all.
/// </summary>
public sealed class CommentVisibilityTests : ApiFixture
{
    private HttpClient requester = null!;
    private HttpClient admin = null!;
    private HttpClient anonymous = null!;
    private HttpClient otherRequester = null!;
    private long ticketId;
    private string token = "";
    private string agentNote = "";
    private string adminNote = "";
    private string reply = "";
    private string requesterComment = "";

    [OneTimeSetUp]
    public async Task CreateConversation()
    {
        requester = Factory.CreateClientWithKey((await ApiKeys.CreateAsync(ApiKeyRoles.Requester)).Key);
        otherRequester = Factory.CreateClientWithKey((await ApiKeys.CreateAsync(ApiKeyRoles.Requester)).Key);
        admin = Factory.CreateClientWithKey((await ApiKeys.CreateAsync(ApiKeyRoles.Admin)).Key);
        anonymous = Factory.CreateAnonymousClient();
        var ticket = await Tickets.CreateAsync(requester);
        ticketId = ticket["id"]!.GetValue<long>();
        token = ticket["accessToken"]!.GetValue<string>();

        var unique = Guid.NewGuid().ToString("N");
        agentNote = "agent note " + unique;
        adminNote = "admin note " + unique;
        reply = "public reply " + unique;
        requesterComment = "requester says " + unique;
        await Support.Comments.AddAsync(Api, ticketId, agentNote, isPublic: false);
        await Support.Comments.AddAsync(Api, ticketId, reply);
        await Support.Comments.AddAsync(admin, ticketId, adminNote, isPublic: false);
        await Support.Comments.AddAsync(requester, ticketId, requesterComment);
    }

    [OneTimeTearDown]
    public void DisposeClients()
    {
        requester.Dispose();
        otherRequester.Dispose();
        admin.Dispose();
        anonymous.Dispose();
    }

    [TestCase("requester key")]
    [TestCase("ticket token")]
    public async Task The_requester_sees_public_comments_and_no_note_in_comments_detail_or_timeline(string how)
    {
        var (client, presented) = how == "requester key" ? (requester, (string?)null) : (anonymous, token);

        using var comments = await Support.Comments.GetAsync(client, $"/api/tickets/{ticketId}/comments", presented);
        using var detail = await Support.Comments.GetAsync(client, $"/api/tickets/{ticketId}", presented);
        var commentsText = await comments.Content.ReadAsStringAsync();
        var detailText = await detail.Content.ReadAsStringAsync();

        Assert.That(comments.StatusCode, Is.EqualTo(HttpStatusCode.OK), commentsText);
        Assert.That(detail.StatusCode, Is.EqualTo(HttpStatusCode.OK), detailText);
        var items = (await Tickets.ReadAsync(comments))["items"]!.AsArray();
        Assert.That(items.Select(c => c!["body"]!.GetValue<string>()), Is.EqualTo(new[] { reply, requesterComment }));
        Assert.That(items.All(c => c!["public"]!.GetValue<bool>()), Is.True);
        Assert.That(commentsText + detailText, Does.Not.Contain(agentNote).And.Not.Contain(adminNote));
        var commentEvents = (await Tickets.ReadAsync(detail))["events"]!.AsArray().Where(e => e!["type"]!.GetValue<string>() == "ticket.comment_added").ToList();
        Assert.That(commentEvents, Has.Count.EqualTo(2), "the reply's and the requester's events, not the notes'");
        Assert.That(commentEvents.All(e => e!["payload"]!["public"]!.GetValue<bool>()), Is.True);
    }

    [TestCase("agent")]
    [TestCase("admin")]
    public async Task Agents_and_admins_see_notes_and_their_events(string role)
    {
        var client = role == "agent" ? Api : admin;

        using var comments = await client.GetAsync($"/api/tickets/{ticketId}/comments");
        using var detail = await client.GetAsync($"/api/tickets/{ticketId}");

        var items = (await Tickets.ReadAsync(comments))["items"]!.AsArray();
        Assert.That(items.Select(c => c!["body"]!.GetValue<string>()), Is.EqualTo(new[] { agentNote, reply, adminNote, requesterComment }));
        Assert.That(items.Select(c => c!["public"]!.GetValue<bool>()), Is.EqualTo(new[] { false, true, false, true }));
        var commentEvents = (await Tickets.ReadAsync(detail))["events"]!.AsArray().Where(e => e!["type"]!.GetValue<string>() == "ticket.comment_added").ToList();
        Assert.That(commentEvents.Select(e => e!["payload"]!["public"]!.GetValue<bool>()), Is.EqualTo(new[] { false, true, false, true }));
    }

    [Test]
    public async Task Anonymous_callers_without_the_token_get_401_and_other_requesters_404()
    {
        using var anonymousComments = await anonymous.GetAsync($"/api/tickets/{ticketId}/comments");
        using var anonymousPost = await Support.Comments.PostAsync(anonymous, ticketId, "hello");
        using var wrongToken = await Support.Comments.GetAsync(anonymous, $"/api/tickets/{ticketId}/comments", "odt_not-the-token");
        using var otherComments = await otherRequester.GetAsync($"/api/tickets/{ticketId}/comments");
        using var otherPost = await Support.Comments.PostAsync(otherRequester, ticketId, "hello");

        Assert.That(anonymousComments.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(anonymousPost.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(wrongToken.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(otherComments.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(otherPost.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await Support.Comments.CountAsync(ticketId), Is.EqualTo(4));
    }

    [TestCase("requester key", false, null)]
    [TestCase("ticket token", false, null)]
    [TestCase("requester key", true, "resolved")]
    [TestCase("ticket token", true, "closed")]
    public async Task The_requester_may_not_write_a_note_or_set_a_status_and_nothing_is_written(string how, bool isPublic, string? status)
    {
        var (client, presented) = how == "requester key" ? (requester, (string?)null) : (anonymous, token);
        var before = await Support.Comments.CountAsync(ticketId);
        var events = (await Support.Comments.EventTypesAsync(ticketId)).Count;

        using var response = await Support.Comments.PostAsync(client, ticketId, "let me see", isPublic, status, token: presented);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await Support.Comments.CountAsync(ticketId), Is.EqualTo(before));
        Assert.That(await Support.Comments.EventTypesAsync(ticketId), Has.Count.EqualTo(events));
    }

    [Test]
    public async Task The_comment_added_event_names_the_author_kind_agent_and_public_flag_and_never_the_body()
    {
        await using var cmd = TestDatabase.DataSource.CreateCommand(
            "SELECT payload::text FROM ticket_events WHERE ticket_id = @t AND type = 'ticket.comment_added' ORDER BY id");
        cmd.Parameters.AddWithValue("t", ticketId);
        var payloads = new List<System.Text.Json.Nodes.JsonNode>();
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                payloads.Add(System.Text.Json.Nodes.JsonNode.Parse(reader.GetString(0))!);
        }

        var agentId = await TestDatabase.ScalarAsync<long>("SELECT agent_id FROM api_keys WHERE prefix = @p", ("p", Secrets.LookupPrefix(ApiFactory.AgentKey)));
        Assert.That(payloads.Select(p => p["authorKind"]!.GetValue<string>()), Is.EqualTo(new[] { "agent", "agent", "agent", "requester" }));
        Assert.That(payloads[1]["agentId"]!.GetValue<long>(), Is.EqualTo(agentId));
        Assert.That(payloads[1]["public"]!.GetValue<bool>(), Is.True);
        Assert.That(payloads[3]["agentId"], Is.Null);
        Assert.That(string.Join("", payloads.Select(p => p.ToJsonString())), Does.Not.Contain("note ").And.Not.Contain("reply "));
    }
}
