using System.Net;
using System.Text.Json.Nodes;
using OpsDesk.Db.Auth;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Api.Comments;

/// <summary>Writing comments: status moves in the same transaction, idempotency, bad input, paging.</summary>
public sealed class CommentCreateTests : ApiFixture
{
    private HttpClient requester = null!;

    [OneTimeSetUp]
    public async Task CreateRequester() => requester = Factory.CreateClientWithKey((await ApiKeys.CreateAsync(ApiKeyRoles.Requester)).Key);

    [OneTimeTearDown]
    public void DisposeRequester() => requester.Dispose();

    private async Task<(long Id, string Token)> NewTicketAsync(string? status = null)
    {
        var ticket = await Tickets.CreateAsync(requester);
        var id = ticket["id"]!.GetValue<long>();
        if (status is not null)
        {
            using var patch = await Api.PatchAsync($"/api/tickets/{id}", Tickets.Json($"{{\"status\":\"{status}\"}}"));
            Assert.That(patch.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        return (id, ticket["accessToken"]!.GetValue<string>());
    }

    [TestCase("pending", false)]
    [TestCase("resolved", false)]
    [TestCase("pending", true)]
    public async Task A_requester_comment_on_a_pending_or_resolved_ticket_reopens_it_with_its_status_event(string status, bool withToken)
    {
        var (id, token) = await NewTicketAsync(status);

        var comment = withToken
            ? await Support.Comments.AddAsync(Factory.CreateAnonymousClient(), id, "still broken", token: token)
            : await Support.Comments.AddAsync(requester, id, "still broken");

        Assert.That(comment["ticketStatus"]!.GetValue<string>(), Is.EqualTo("open"));
        Assert.That(await TestDatabase.ScalarAsync<string>("SELECT status FROM tickets WHERE id = @id", ("id", id)), Is.EqualTo("open"));
        var types = await Support.Comments.EventTypesAsync(id);
        Assert.That(types.TakeLast(2), Is.EqualTo(new[] { "ticket.comment_added", "ticket.status_changed" }));
        var change = await TestDatabase.ScalarAsync<string>(
            "SELECT payload::text FROM ticket_events WHERE ticket_id = @id AND type = 'ticket.status_changed' ORDER BY id DESC LIMIT 1", ("id", id));
        Assert.That(JsonNode.Parse(change)!["from"]!.GetValue<string>(), Is.EqualTo(status));
        Assert.That(JsonNode.Parse(change)!["to"]!.GetValue<string>(), Is.EqualTo("open"));
        using var detail = await Api.GetAsync($"/api/tickets/{id}");
        Assert.That((await Tickets.ReadAsync(detail))["awaitingAgent"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task A_requester_comment_on_an_open_ticket_changes_no_status()
    {
        var (id, _) = await NewTicketAsync();

        await Support.Comments.AddAsync(requester, id, "any news?");

        Assert.That(await Support.Comments.CountEventsAsync(id, "ticket.status_changed"), Is.Zero);
        Assert.That(await Support.Comments.CountEventsAsync(id, "ticket.comment_added"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_plain_reply_writes_its_row_its_event_naming_it_and_marks_the_ticket_in_one_transaction()
    {
        var (id, _) = await NewTicketAsync();
        var before = await TestDatabase.ScalarAsync<DateTime>("SELECT updated_at FROM tickets WHERE id = @id", ("id", id));

        var comment = await Support.Comments.AddAsync(Api, id, "We are on it.");

        var commentId = comment["id"]!.GetValue<long>();
        Assert.That(comment["ticketStatus"]!.GetValue<string>(), Is.EqualTo("open"));
        var payload = JsonNode.Parse(await TestDatabase.ScalarAsync<string>(
            "SELECT payload::text FROM ticket_events WHERE ticket_id = @id AND type = 'ticket.comment_added'", ("id", id)))!;
        Assert.That(payload["commentId"]!.GetValue<long>(), Is.EqualTo(commentId));
        Assert.That(payload["authorKind"]!.GetValue<string>(), Is.EqualTo("agent"));
        Assert.That(payload["public"]!.GetValue<bool>(), Is.True);
        Assert.That(await TestDatabase.ScalarAsync<string>("SELECT last_public_comment_by FROM tickets WHERE id = @id", ("id", id)), Is.EqualTo("agent"));
        Assert.That(await TestDatabase.ScalarAsync<DateTime>("SELECT updated_at FROM tickets WHERE id = @id", ("id", id)), Is.GreaterThan(before));
        Assert.That(await TestDatabase.ScalarAsync<long>(
            "SELECT count(DISTINCT xmin::text) FROM (SELECT xmin FROM ticket_events WHERE ticket_id = @id AND type = 'ticket.comment_added' UNION ALL SELECT xmin FROM ticket_comments WHERE ticket_id = @id UNION ALL SELECT xmin FROM tickets WHERE id = @id) rows",
            ("id", id)), Is.EqualTo(1), "comment row, its event and the ticket's mark were written by one transaction");

        await Support.Comments.AddAsync(requester, id, "thanks, waiting");
        using var note = await Support.Comments.PostAsync(Api, id, "internal only", isPublic: false);
        Assert.That(note.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(await TestDatabase.ScalarAsync<string>("SELECT last_public_comment_by FROM tickets WHERE id = @id", ("id", id)), Is.EqualTo("requester"), "a note leaves the last public author");
    }

    [Test]
    public async Task An_agent_reply_with_a_status_writes_the_comment_and_both_events_together()
    {
        var (id, _) = await NewTicketAsync();

        var comment = await Support.Comments.AddAsync(Api, id, "Could you send a screenshot?", status: "pending");

        Assert.That(comment["ticketStatus"]!.GetValue<string>(), Is.EqualTo("pending"));
        Assert.That(comment["authorKind"]!.GetValue<string>(), Is.EqualTo("agent"));
        Assert.That(await Support.Comments.EventTypesAsync(id), Is.EqualTo(new[] { "ticket.created", "ticket.comment_added", "ticket.status_changed" }));
        Assert.That(await TestDatabase.ScalarAsync<long>(
            "SELECT count(DISTINCT xmin::text) FROM (SELECT xmin FROM ticket_events WHERE ticket_id = @id AND type <> 'ticket.created' UNION ALL SELECT xmin FROM ticket_comments WHERE ticket_id = @id) rows",
            ("id", id)), Is.EqualTo(1), "comment row and both events were written by one transaction");
        using var detail = await Api.GetAsync($"/api/tickets/{id}");
        Assert.That((await Tickets.ReadAsync(detail))["awaitingAgent"]!.GetValue<bool>(), Is.False);
    }

    [TestCase("resolved", "pending")]
    [TestCase("closed", null)]
    public async Task A_reply_whose_status_change_is_not_allowed_is_a_409_and_leaves_no_comment_and_no_event(string current, string? asked)
    {
        var (id, _) = await NewTicketAsync(current);
        var events = await Support.Comments.EventTypesAsync(id);

        using var response = await Support.Comments.PostAsync(Api, id, "moving on", status: asked);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await Support.Comments.CountAsync(id), Is.Zero);
        Assert.That(await Support.Comments.EventTypesAsync(id), Is.EqualTo(events));
        Assert.That(await TestDatabase.ScalarAsync<string>("SELECT status FROM tickets WHERE id = @id", ("id", id)), Is.EqualTo(current));
    }

    [Test]
    public async Task The_same_idempotency_key_and_body_replays_the_comment_and_another_body_is_a_422()
    {
        var (id, _) = await NewTicketAsync();
        var key = Guid.NewGuid().ToString();

        using var first = await Support.Comments.PostAsync(Api, id, "On it.", idempotencyKey: key);
        using var again = await Support.Comments.PostAsync(Api, id, "  On it.  ", idempotencyKey: key);
        using var other = await Support.Comments.PostAsync(Api, id, "Something else", idempotencyKey: key);
        using var byRequester = await Support.Comments.PostAsync(requester, id, "On it.", idempotencyKey: key);

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(again.Headers.GetValues("Idempotency-Replayed"), Is.EqualTo(new[] { "true" }));
        Assert.That((await Tickets.ReadAsync(again))["id"]!.GetValue<long>(), Is.EqualTo((await Tickets.ReadAsync(first))["id"]!.GetValue<long>()));
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(byRequester.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(await Support.Comments.CountAsync(id), Is.EqualTo(1));
        Assert.That(await Support.Comments.CountEventsAsync(id, "ticket.comment_added"), Is.EqualTo(1));
    }

    [Test]
    public async Task Twenty_concurrent_creates_with_one_key_make_one_comment_and_one_event()
    {
        var (id, _) = await NewTicketAsync();
        var key = Guid.NewGuid().ToString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var response = await Support.Comments.PostAsync(Api, id, "One answer, many tries", idempotencyKey: key);
            return (response.StatusCode, (await Tickets.ReadAsync(response))["id"]!.GetValue<long>());
        }));

        Assert.That(answers.Count(a => a.StatusCode == HttpStatusCode.Created), Is.EqualTo(1));
        Assert.That(answers.Count(a => a.StatusCode == HttpStatusCode.OK), Is.EqualTo(19));
        Assert.That(answers.Select(a => a.Item2).Distinct().Count(), Is.EqualTo(1));
        Assert.That(await Support.Comments.CountAsync(id), Is.EqualTo(1));
        Assert.That(await Support.Comments.CountEventsAsync(id, "ticket.comment_added"), Is.EqualTo(1));
    }

    [TestCase("{\"public\":true}", "body")]
    [TestCase("{\"body\":\"   \",\"public\":true}", "body")]
    [TestCase("{\"body\":\"a\\u0000b\",\"public\":true}", "body")]
    [TestCase("{\"body\":\"hello\"}", "public")]
    [TestCase("{\"body\":\"hello\",\"public\":\"yes\"}", "public")]
    [TestCase("{\"body\":\"hello\",\"public\":true,\"status\":\"done\"}", "status")]
    [TestCase("{\"body\":\"hello\",\"public\":true,\"internal\":true}", "internal")]
    [TestCase("", "body")]
    public async Task Bad_input_is_a_validation_problem_naming_the_field_and_writes_nothing(string json, string field)
    {
        var (id, _) = await NewTicketAsync();

        using var response = await Api.PostAsync($"/api/tickets/{id}/comments", Tickets.Json(json));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((await Tickets.ReadAsync(response))["errors"]![field], Is.Not.Null);
        Assert.That(await Support.Comments.CountAsync(id), Is.Zero);
        Assert.That(await Support.Comments.CountEventsAsync(id, "ticket.comment_added"), Is.Zero);
    }

    [Test]
    public async Task A_body_over_10000_characters_after_trimming_is_refused_and_exactly_10000_is_accepted()
    {
        var (id, _) = await NewTicketAsync();

        using var tooLong = await Support.Comments.PostAsync(Api, id, new string('x', 10_001));
        using var longest = await Support.Comments.PostAsync(Api, id, "  " + new string('y', 10_000) + "  ");

        Assert.That(tooLong.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await Tickets.ReadAsync(tooLong))["errors"]!["body"], Is.Not.Null);
        Assert.That(longest.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(await Support.Comments.CountAsync(id), Is.EqualTo(1));
    }

    [Test]
    public async Task A_bad_idempotency_key_or_a_non_json_body_is_refused()
    {
        var (id, _) = await NewTicketAsync();

        using var badKey = await Support.Comments.PostAsync(Api, id, "hello", idempotencyKey: new string('k', 201));
        using var text = await Api.PostAsync($"/api/tickets/{id}/comments", new StringContent("hello"));

        Assert.That(badKey.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await Tickets.ReadAsync(badKey))["errors"]!["Idempotency-Key"], Is.Not.Null);
        Assert.That(text.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        Assert.That(await Support.Comments.CountAsync(id), Is.Zero);
    }

    [Test]
    public async Task Comments_on_an_unknown_ticket_are_404()
    {
        using var post = await Support.Comments.PostAsync(Api, 987_654_321, "hello");
        using var list = await Api.GetAsync("/api/tickets/987654321/comments");

        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task The_conversation_pages_oldest_first_without_duplicates_or_gaps()
    {
        var (id, _) = await NewTicketAsync();
        var written = new List<long>();
        for (var i = 0; i < 7; i++)
            written.Add((await Support.Comments.AddAsync(Api, id, $"comment {i}", isPublic: i % 2 == 0))["id"]!.GetValue<long>());

        var seen = new List<long>();
        string? cursor = null;
        var pages = 0;
        do
        {
            using var response = await Api.GetAsync($"/api/tickets/{id}/comments?limit=3" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            var page = await Tickets.ReadAsync(response);
            seen.AddRange(page["items"]!.AsArray().Select(c => c!["id"]!.GetValue<long>()));
            cursor = page["nextCursor"]?.GetValue<string>();
            pages++;
        }
        while (cursor is not null);

        Assert.That(seen, Is.EqualTo(written));
        Assert.That(pages, Is.EqualTo(3));
        using var bad = await Api.GetAsync($"/api/tickets/{id}/comments?cursor=nonsense");
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }
}
