using System.Net;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Api;

public sealed class IdempotencyTests : ApiFixture
{
    private static string NewKey() => "key-" + Guid.NewGuid().ToString("N");

    private static Task<long> CountTicketsWithKey(string key) =>
        TestDatabase.ScalarAsync<long>("SELECT count(*) FROM tickets WHERE idempotency_key = @k", ("k", key));

    [Test]
    public async Task Create_with_same_idempotency_key_returns_the_first_ticket()
    {
        var key = NewKey();
        var body = Tickets.Body();

        using var first = await Tickets.PostAsync(Api, body, key);
        using var second = await Tickets.PostAsync(Api, body, key);

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(second.Headers.GetValues("Idempotency-Replayed").Single(), Is.EqualTo("true"));
        var firstId = (await Tickets.ReadAsync(first))["id"]!.GetValue<long>();
        Assert.That((await Tickets.ReadAsync(second))["id"]!.GetValue<long>(), Is.EqualTo(firstId));
        Assert.That(await CountTicketsWithKey(key), Is.EqualTo(1));
        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM ticket_events WHERE ticket_id = @id", ("id", firstId)), Is.EqualTo(1));
    }

    [Test]
    public async Task Same_ticket_with_other_json_spacing_and_padding_is_still_a_replay()
    {
        var key = NewKey();
        using var first = await Api.SendAsync(Post("""{"subject":"Refund missing","description":"Where is my refund?","source":"email"}""", key));
        using var second = await Api.SendAsync(Post("""{ "source" : "email", "description" : "Where is my refund?  ", "subject" : " Refund missing" }""", key));

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Same_key_with_a_different_body_is_a_422_problem_and_writes_nothing()
    {
        var key = NewKey();
        using var first = await Tickets.PostAsync(Api, Tickets.Body(subject: "original"), key);
        using var second = await Tickets.PostAsync(Api, Tickets.Body(subject: "something else"), key);

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((int)second.StatusCode, Is.EqualTo(422));
        Assert.That(second.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await CountTicketsWithKey(key), Is.EqualTo(1));
        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM tickets WHERE subject = 'something else'"), Is.Zero);
    }

    [Test]
    public async Task Twenty_concurrent_requests_with_one_key_create_exactly_one_ticket()
    {
        var key = NewKey();
        var body = Tickets.Body();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Tickets.PostAsync(Api, body, key)));

        var statuses = responses.Select(r => (int)r.StatusCode).ToList();
        var ids = await Task.WhenAll(responses.Select(async r => (await Tickets.ReadAsync(r))["id"]!.GetValue<long>()));
        foreach (var r in responses)
            r.Dispose();
        Assert.Multiple(async () =>
        {
            Assert.That(statuses.Count(s => s == 201), Is.EqualTo(1), string.Join(",", statuses));
            Assert.That(statuses.Count(s => s == 200), Is.EqualTo(19));
            Assert.That(ids.Distinct().Count(), Is.EqualTo(1));
            Assert.That(await CountTicketsWithKey(key), Is.EqualTo(1));
            Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM ticket_events WHERE ticket_id = @id", ("id", ids[0])), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Idempotency_key_over_200_characters_is_refused()
    {
        using var response = await Tickets.PostAsync(Api, Tickets.Body(), new string('k', 201));

        await CreateTicketTests.AssertValidationProblem(response, "Idempotency-Key", "1–200");
    }

    [Test]
    public async Task Idempotency_key_of_200_characters_is_accepted()
    {
        using var response = await Tickets.PostAsync(Api, Tickets.Body(), Guid.NewGuid().ToString("N") + new string('k', 168));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    private static HttpRequestMessage Post(string json, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/tickets") { Content = Tickets.Json(json) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }
}
