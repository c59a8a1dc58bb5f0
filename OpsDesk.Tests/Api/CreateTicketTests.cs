using System.Net;
using System.Text.Json.Nodes;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Api;

public sealed class CreateTicketTests : ApiFixture
{
    [Test]
    public async Task Create_returns_201_with_location_and_the_stored_ticket()
    {
        using var response = await Tickets.PostAsync(Api, Tickets.Body(subject: "  Card charged twice  ", email: "a.user@example.com"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var ticket = await Tickets.ReadAsync(response);
        var id = ticket["id"]!.GetValue<long>();
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/tickets/{id}"));
            Assert.That(ticket["subject"]!.GetValue<string>(), Is.EqualTo("Card charged twice"));
            Assert.That(ticket["status"]!.GetValue<string>(), Is.EqualTo("open"));
            Assert.That(ticket["triageStatus"]!.GetValue<string>(), Is.EqualTo("queued"));
            Assert.That(ticket["priority"], Is.Null);
            Assert.That(ticket["requesterEmail"]!.GetValue<string>(), Is.EqualTo("a.user@example.com"));
        });
    }

    [Test]
    public async Task Create_writes_the_ticket_created_event_and_asks_for_a_triage_start()
    {
        var ticket = await Tickets.CreateAsync(Api);
        var id = ticket["id"]!.GetValue<long>();

        var events = await TestDatabase.ScalarAsync<long>(
            "SELECT count(*) FROM ticket_events WHERE ticket_id = @id AND type = 'ticket.created'", ("id", id));
        Assert.That(events, Is.EqualTo(1));
        Assert.That(await Factory.Triage.WaitForStartAsync(id), Is.EqualTo((id, "web")));
    }

    [Test]
    public async Task Create_still_succeeds_and_stays_queued_when_triage_cannot_start()
    {
        await using var down = new ApiFactory();
        down.Triage.Succeed = false;
        using var client = down.CreateClient();

        var ticket = await Tickets.CreateAsync(client);

        var status = await TestDatabase.ScalarAsync<string>("SELECT triage_status FROM tickets WHERE id = @id", ("id", ticket["id"]!.GetValue<long>()));
        Assert.That(status, Is.EqualTo("queued"));
    }

    [TestCase("subject", null, "subject is required")]
    [TestCase("subject", "   ", "subject is required")]
    [TestCase("description", null, "description is required")]
    [TestCase("description", "\t\n ", "description is required")]
    [TestCase("source", null, "source is required")]
    [TestCase("source", "fax", "source must be one of")]
    [TestCase("source", "WEB", "source must be one of")]
    [TestCase("requesterEmail", "not-an-email", "valid email")]
    [TestCase("requesterEmail", "a@b", "valid email")]
    [TestCase("requesterEmail", "two words@example.com", "valid email")]
    [TestCase("requesterEmail", "", "valid email")]
    public async Task Invalid_field_gets_a_400_validation_problem_naming_it(string field, string? value, string message)
    {
        var body = new JsonObject { ["subject"] = "Login broken", ["description"] = "Cannot log in since update", ["source"] = "web" };
        body[field] = value;

        using var response = await Api.PostAsync("/api/tickets", Tickets.Json(body.ToJsonString()));

        await AssertValidationProblem(response, field, message);
    }

    [Test]
    public async Task Subject_of_200_characters_is_accepted_and_201_is_refused()
    {
        using var ok = await Tickets.PostAsync(Api, Tickets.Body(subject: new string('s', 200)));
        using var tooLong = await Tickets.PostAsync(Api, Tickets.Body(subject: new string('s', 201)));

        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        await AssertValidationProblem(tooLong, "subject", "at most 200");
    }

    [Test]
    public async Task Description_of_10000_characters_is_accepted_and_10001_is_refused()
    {
        using var ok = await Tickets.PostAsync(Api, Tickets.Body(description: new string('d', 10_000)));
        using var tooLong = await Tickets.PostAsync(Api, Tickets.Body(description: new string('d', 10_001)));

        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        await AssertValidationProblem(tooLong, "description", "at most 10000");
    }

    [Test]
    public async Task Every_source_value_is_accepted()
    {
        foreach (var source in new[] { "web", "email", "api", "chat", "phone" })
        {
            using var response = await Tickets.PostAsync(Api, Tickets.Body(source: source));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), source);
        }
    }

    [Test]
    public async Task Unknown_json_field_is_refused_by_name()
    {
        using var response = await Api.PostAsync("/api/tickets",
            Tickets.Json("""{"subject":"s","description":"d","source":"web","priority":"P0"}"""));

        await AssertValidationProblem(response, "priority", "not a known field");
    }

    [Test]
    public async Task Wrong_json_type_is_refused_by_field()
    {
        using var response = await Api.PostAsync("/api/tickets", Tickets.Json("""{"subject":42,"description":"d","source":"web"}"""));

        await AssertValidationProblem(response, "subject", "wrong type");
    }

    [TestCase("{\"subject\": \"a\", ")]
    [TestCase("not json at all")]
    [TestCase("[1,2,3]")]
    [TestCase("null")]
    [TestCase("")]
    public async Task Malformed_json_gets_a_400_problem(string body)
    {
        using var response = await Api.PostAsync("/api/tickets", Tickets.Json(body));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task Wrong_content_type_gets_a_415_problem()
    {
        using var response = await Api.PostAsync("/api/tickets",
            new StringContent("subject=a&description=b&source=web", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task Body_over_64_KiB_gets_a_413_problem_and_stores_nothing()
    {
        var marker = "big-" + Guid.NewGuid().ToString("N");
        var json = $$"""{"subject":"{{marker}}","description":"{{new string('x', 70_000)}}","source":"web"}""";

        using var response = await Api.PostAsync("/api/tickets", Tickets.Json(json));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM tickets WHERE subject = @s", ("s", marker)), Is.Zero);
    }

    [Test]
    public async Task Chunked_body_over_64_KiB_gets_a_413_problem()
    {
        var json = $$"""{"subject":"s","description":"{{new string('x', 70_000)}}","source":"web"}""";
        using var content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await Api.PostAsync("/api/tickets", content);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
    }

    [Test]
    public async Task Invalid_input_leaves_no_ticket_behind()
    {
        var marker = "invalid-" + Guid.NewGuid().ToString("N");

        using var response = await Tickets.PostAsync(Api, Tickets.Body(subject: marker, source: "pigeon"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM tickets WHERE subject = @s", ("s", marker)), Is.Zero);
    }

    internal static async Task AssertValidationProblem(HttpResponseMessage response, string field, string message)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var errors = JsonNode.Parse(text)!["errors"]!.AsObject();
        Assert.That(errors.ContainsKey(field), Is.True, $"errors should name '{field}': {text}");
        Assert.That(errors[field]![0]!.GetValue<string>(), Does.Contain(message));
    }
}

public sealed class NoBadInputGives5xxTests : ApiFixture
{
    [TestCase("subject")]
    [TestCase("description")]
    public async Task Nul_character_in_a_text_field_is_a_400_naming_it(string field)
    {
        var body = new System.Text.Json.Nodes.JsonObject { ["subject"] = "s", ["description"] = "d", ["source"] = "web" };
        body[field] = "before\u0000after";

        using var response = await Api.PostAsync("/api/tickets", Tickets.Json(body.ToJsonString()));

        await CreateTicketTests.AssertValidationProblem(response, field, "NUL");
    }

    [TestCase("/api/tickets?q=%00")]
    [TestCase("/api/tickets?q=%26%26%7C%7C!!(((")]
    [TestCase("/api/tickets?q=%22unterminated")]
    [TestCase("/api/tickets?cursor=%FF%FE")]
    [TestCase("/api/tickets?limit=99999999999999999999")]
    [TestCase("/api/tickets/-1")]
    [TestCase("/api/tickets/0")]
    [TestCase("/api/tickets?status=open&status=closed")]
    public async Task Odd_query_input_never_gets_a_server_error(string path)
    {
        using var response = await Api.GetAsync(path);

        Assert.That((int)response.StatusCode, Is.LessThan(500), await response.Content.ReadAsStringAsync());
    }

    [TestCase("{\"subject\":\"s\",\"description\":\"d\",\"source\":\"web\",\"requesterEmail\":42}")]
    [TestCase("{\"subject\":\"s\",\"description\":\"d\",\"source\":\"web\",\"requesterEmail\":\"a\\u0000@b.com\"}")]
    [TestCase("{\"subject\":\"\\ud800\",\"description\":\"d\",\"source\":\"web\"}")]
    [TestCase("{\"subject\":\"s\",\"subject\":\"t\",\"description\":\"d\",\"source\":\"web\"}")]
    [TestCase("{\"subject\":[\"s\"],\"description\":{},\"source\":true}")]
    public async Task Odd_bodies_never_get_a_server_error(string json)
    {
        using var response = await Api.PostAsync("/api/tickets", Tickets.Json(json));

        Assert.That((int)response.StatusCode, Is.LessThan(500), await response.Content.ReadAsStringAsync());
    }
}
