using System.Net;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Api;

public sealed class GetTicketTests : ApiFixture
{
    [Test]
    public async Task Get_returns_the_ticket_with_null_ai_and_the_created_event()
    {
        var created = await Tickets.CreateAsync(Api);
        var id = created["id"]!.GetValue<long>();

        using var response = await Api.GetAsync($"/api/tickets/{id}");
        var ticket = await Tickets.ReadAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.Multiple(() =>
        {
            Assert.That(ticket["id"]!.GetValue<long>(), Is.EqualTo(id));
            Assert.That(ticket.AsObject().ContainsKey("ai"), Is.True);
            Assert.That(ticket["ai"], Is.Null);
            var events = ticket["events"]!.AsArray();
            Assert.That(events, Has.Count.EqualTo(1));
            Assert.That(events[0]!["type"]!.GetValue<string>(), Is.EqualTo("ticket.created"));
            Assert.That(events[0]!["payload"]!["ticketId"]!.GetValue<long>(), Is.EqualTo(id));
        });
    }

    [Test]
    public async Task Get_shows_the_ai_triage_and_the_timeline_oldest_first()
    {
        var id = (await Tickets.CreateAsync(Api))["id"]!.GetValue<long>();
        await TestDatabase.ExecuteAsync("""
            INSERT INTO ticket_ai (ticket_id, summary, category, priority, entities, confidence, language, sentiment, provider, model, prompt_version)
            VALUES (@id, 'Card charged, order failed', 'payments', 'P1', '[{"type":"amount","value":"499"}]', 0.9, 'en', 'negative', 'local', 'lexicon-v1', 'v1');
            INSERT INTO ticket_events (ticket_id, type, payload, dedupe_key) VALUES (@id, 'ticket.classified', '{"priority":"P1"}', 'triage');
            """, ("id", id));

        using var response = await Api.GetAsync($"/api/tickets/{id}");
        var ticket = await Tickets.ReadAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(ticket["ai"]!["category"]!.GetValue<string>(), Is.EqualTo("payments"));
            Assert.That(ticket["ai"]!["entities"]![0]!["value"]!.GetValue<string>(), Is.EqualTo("499"));
            Assert.That(ticket["ai"]!["promptVersion"]!.GetValue<string>(), Is.EqualTo("v1"));
            var types = ticket["events"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()).ToList();
            Assert.That(types, Is.EqualTo(new[] { "ticket.created", "ticket.classified" }));
        });
    }

    [Test]
    public async Task Unknown_id_is_a_404_problem()
    {
        using var response = await Api.GetAsync("/api/tickets/999999999");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((await Tickets.ReadAsync(response))["detail"]!.GetValue<string>(), Does.Contain("999999999"));
    }

    [TestCase("/api/tickets/abc")]
    [TestCase("/api/nothing-here")]
    [TestCase("/api/tickets/99999999999999999999999")]
    public async Task Unknown_route_is_a_404_problem(string path)
    {
        using var response = await Api.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task Wrong_method_is_a_405_problem()
    {
        using var response = await Api.DeleteAsync("/api/tickets");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }
}
