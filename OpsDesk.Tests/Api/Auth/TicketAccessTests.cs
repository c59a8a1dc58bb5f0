using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpsDesk.Db.Auth;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Api.Auth;

/// <summary>Requester access: per-ticket access tokens, own tickets only, and 404 for everything else.</summary>
public sealed class TicketAccessTests
{
    private ApiFactory factory = null!;
    private HttpClient anonymous = null!;

    [OneTimeSetUp]
    public void Start()
    {
        factory = new ApiFactory(new() { ["RateLimits:AnonymousCreatePermitLimit"] = "100000" });
        anonymous = factory.CreateAnonymousClient();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        anonymous.Dispose();
        await factory.DisposeAsync();
    }

    [Test]
    public async Task Anonymous_create_returns_an_access_token_and_stores_only_its_hash()
    {
        var created = await Tickets.CreateAsync(anonymous);
        var id = created["id"]!.GetValue<long>();
        var token = created["accessToken"]!.GetValue<string>();

        var stored = await TestDatabase.ScalarAsync<byte[]>("SELECT access_token_hash FROM tickets WHERE id = @id", ("id", id));
        var owner = await TestDatabase.ScalarAsync<bool>("SELECT created_by_key_id IS NULL AND created_by_subject IS NULL FROM tickets WHERE id = @id", ("id", id));

        Assert.That(token, Does.StartWith(Secrets.TokenMarker).And.Length.GreaterThan(40));
        Assert.That(stored, Is.EqualTo(Secrets.Hash(token)));
        Assert.That(owner, Is.True);
    }

    [Test]
    public async Task The_access_token_reads_its_own_ticket_by_header_or_query_and_no_other()
    {
        var mine = await Tickets.CreateAsync(anonymous);
        var other = await Tickets.CreateAsync(anonymous);
        var token = mine["accessToken"]!.GetValue<string>();

        using var byHeader = await GetWithTokenAsync(mine["id"]!.GetValue<long>(), token);
        using var byQuery = await anonymous.GetAsync($"/api/tickets/{mine["id"]}?token={Uri.EscapeDataString(token)}");
        using var otherTicket = await GetWithTokenAsync(other["id"]!.GetValue<long>(), token);
        using var missing = await GetWithTokenAsync(987654321, token);
        using var list = await SendWithTokenAsync(HttpMethod.Get, "/api/tickets", token);

        Assert.Multiple(async () =>
        {
            Assert.That(byHeader.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await Tickets.ReadAsync(byHeader))["id"]!.GetValue<long>(), Is.EqualTo(mine["id"]!.GetValue<long>()));
            Assert.That(byQuery.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(otherTicket.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "a token reads one ticket; it does not list");
        });
    }

    [Test]
    public async Task Another_requesters_ticket_answers_exactly_like_a_missing_one()
    {
        var owner = await ApiKeys.CreateAsync(ApiKeyRoles.Requester);
        var stranger = await ApiKeys.CreateAsync(ApiKeyRoles.Requester);
        using var ownerClient = factory.CreateClientWithKey(owner.Key);
        using var strangerClient = factory.CreateClientWithKey(stranger.Key);
        var id = (await Tickets.CreateAsync(ownerClient))["id"]!.GetValue<long>();

        using var foreign = await strangerClient.GetAsync($"/api/tickets/{id}");
        using var missing = await strangerClient.GetAsync("/api/tickets/987654321");

        Assert.That(foreign.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var a = await Tickets.ReadAsync(foreign);
        var b = await Tickets.ReadAsync(missing);
        Assert.That(a["title"]!.GetValue<string>(), Is.EqualTo(b["title"]!.GetValue<string>()));
        Assert.That(a["detail"]!.GetValue<string>(), Is.EqualTo($"There is no ticket {id}."));
    }

    [Test]
    public async Task A_requester_lists_only_the_tickets_created_with_its_key_and_an_agent_lists_all()
    {
        var word = "own" + Guid.NewGuid().ToString("N")[..12];
        var first = await ApiKeys.CreateAsync(ApiKeyRoles.Requester);
        var second = await ApiKeys.CreateAsync(ApiKeyRoles.Requester);
        using var firstClient = factory.CreateClientWithKey(first.Key);
        using var secondClient = factory.CreateClientWithKey(second.Key);
        using var agent = factory.CreateClient();
        var mine = new List<long>();
        for (var i = 0; i < 3; i++)
            mine.Add((await Tickets.CreateAsync(firstClient, Tickets.Body(description: $"Issue {word} {i}")))["id"]!.GetValue<long>());
        var theirs = (await Tickets.CreateAsync(secondClient, Tickets.Body(description: $"Issue {word} x")))["id"]!.GetValue<long>();
        var anonymousOne = (await Tickets.CreateAsync(anonymous, Tickets.Body(description: $"Issue {word} y")))["id"]!.GetValue<long>();

        Assert.That(await ListIdsAsync(firstClient, word), Is.EquivalentTo(mine));
        Assert.That(await ListIdsAsync(secondClient, word), Is.EquivalentTo(new[] { theirs }));
        Assert.That(await ListIdsAsync(agent, word), Is.EquivalentTo(mine.Append(theirs).Append(anonymousOne)));
    }

    [Test]
    public async Task A_replay_with_the_idempotency_key_hands_out_a_fresh_token_that_replaces_the_first()
    {
        var key = "replay-" + Guid.NewGuid().ToString("N");
        var body = Tickets.Body();

        using var first = await Tickets.PostAsync(anonymous, body, key);
        using var replay = await Tickets.PostAsync(anonymous, body, key);
        var firstToken = (await Tickets.ReadAsync(first))["accessToken"]!.GetValue<string>();
        var replayed = await Tickets.ReadAsync(replay);
        var id = replayed["id"]!.GetValue<long>();
        var secondToken = replayed["accessToken"]!.GetValue<string>();

        using var withNew = await GetWithTokenAsync(id, secondToken);
        using var withOld = await GetWithTokenAsync(id, firstToken);

        Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(secondToken, Is.Not.EqualTo(firstToken));
        Assert.That(withNew.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(withOld.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Replaying_someone_elses_idempotency_key_is_refused_and_reveals_nothing()
    {
        var owner = await ApiKeys.CreateAsync(ApiKeyRoles.Requester);
        using var ownerClient = factory.CreateClientWithKey(owner.Key);
        var key = "steal-" + Guid.NewGuid().ToString("N");
        var body = Tickets.Body();
        using var first = await Tickets.PostAsync(ownerClient, body, key);
        var id = (await Tickets.ReadAsync(first))["id"]!.GetValue<long>();

        using var stolen = await Tickets.PostAsync(anonymous, body, key);
        var text = await stolen.Content.ReadAsStringAsync();

        Assert.That((int)stolen.StatusCode, Is.EqualTo(422));
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.That(problem.ContainsKey("accessToken") || problem.ContainsKey("id") || problem.ContainsKey("subject"), Is.False, text);
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Not.Contain($"ticket {id}"));
        Assert.That(await TestDatabase.ScalarAsync<byte[]>("SELECT access_token_hash FROM tickets WHERE id = @id", ("id", id)),
            Is.EqualTo(Secrets.Hash((await Tickets.ReadAsync(first))["accessToken"]!.GetValue<string>())), "the owner's token still works");
    }

    [Test]
    public async Task Anonymous_create_without_an_idempotency_key_is_a_400_naming_the_header_and_stores_nothing()
    {
        var marker = "nokey-" + Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/tickets") { Content = JsonContent.Create(Tickets.Body(subject: marker)) };

        using var response = await anonymous.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await Tickets.ReadAsync(response);
        Assert.That(problem["errors"]!["Idempotency-Key"]![0]!.GetValue<string>(), Does.Contain("Idempotency-Key"));
        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM tickets WHERE subject = @s", ("s", marker)), Is.Zero);
    }

    [Test]
    public async Task An_anonymous_retry_with_the_same_key_after_a_lost_answer_gets_the_same_ticket_and_a_token_that_works()
    {
        var key = Guid.NewGuid().ToString();
        var body = Tickets.Body();
        using (await Tickets.PostAsync(anonymous, body, key))
        {
            // The answer is lost on the way (a 503 after the commit, a dropped connection): the client only knows it sent it.
        }

        using var retry = await Tickets.PostAsync(anonymous, body, key);
        var replayed = await Tickets.ReadAsync(retry);
        var id = replayed["id"]!.GetValue<long>();
        using var read = await GetWithTokenAsync(id, replayed["accessToken"]!.GetValue<string>());

        Assert.Multiple(async () =>
        {
            Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(retry.Headers.GetValues("Idempotency-Replayed").Single(), Is.EqualTo("true"));
            Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the fresh token reads the ticket");
            Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM tickets WHERE idempotency_key = @k", ("k", key)), Is.EqualTo(1));
        });
    }

    [TestCase("application/x-www-form-urlencoded", "subject=a&description=b&source=web")]
    [TestCase("text/plain", "{\"subject\":\"a\"}")]
    public async Task Anonymous_create_with_a_body_that_is_not_json_is_a_415_problem(string mediaType, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/tickets") { Content = new StringContent(body, System.Text.Encoding.UTF8, mediaType) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        using var response = await anonymous.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType), await response.Content.ReadAsStringAsync());
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task Anonymous_create_is_401_when_switched_off()
    {
        await using var closed = new ApiFactory(new() { ["Auth:AllowAnonymousCreate"] = "false" });
        using var client = closed.CreateAnonymousClient();
        using var requesterClient = closed.CreateClientWithKey((await ApiKeys.CreateAsync(ApiKeyRoles.Requester)).Key);

        using var response = await Tickets.PostAsync(client, Tickets.Body());
        using var withKey = await Tickets.PostAsync(requesterClient, Tickets.Body());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(withKey.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    private async Task<HttpResponseMessage> GetWithTokenAsync(long id, string token) =>
        await SendWithTokenAsync(HttpMethod.Get, $"/api/tickets/{id}", token);

    private async Task<HttpResponseMessage> SendWithTokenAsync(HttpMethod method, string path, string token)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Ticket-Token", token);
        return await anonymous.SendAsync(request);
    }

    private static async Task<List<long>> ListIdsAsync(HttpClient client, string word)
    {
        var page = await client.GetFromJsonAsync<JsonObject>($"/api/tickets?q={word}&limit=100");
        return page!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>()).ToList();
    }
}
