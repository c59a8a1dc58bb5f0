using System.Net.Http.Json;
using OpsDesk.Db.Triage;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Api.Kb;

/// <summary>Citations in the ticket detail: agents see every cited article, the requester only public ones.</summary>
public sealed class TicketCitationsTests : ApiFixture
{
    [Test]
    public async Task The_requester_sees_only_public_citations_and_the_agent_sees_all()
    {
        using var anonymous = Factory.CreateAnonymousClient();
        using var create = await Tickets.PostAsync(anonymous, Tickets.Body(), Guid.NewGuid().ToString());
        var created = await Tickets.ReadAsync(create);
        var id = created["id"]!.GetValue<long>();
        var token = created["accessToken"]!.GetValue<string>();
        const string citations = """[{"id":1,"slug":"otp-not-received","title":"OTP not received","score":1.0,"public":true},{"id":2,"slug":"otp-gateway-incident-runbook","title":"Runbook","score":0.5,"public":false}]""";
        await new TriageRepository(TestDatabase.DataSource).SaveAsync(
            new TriageResultRow(id, "s", "otp_delivery", "P1", "[]", 0.9, "en", "negative", "local", null, "local-v1", citations), default);

        using var asRequester = new HttpRequestMessage(HttpMethod.Get, $"/api/tickets/{id}");
        asRequester.Headers.Add("X-Ticket-Token", token);
        var requesterView = await Tickets.ReadAsync(await anonymous.SendAsync(asRequester));
        var agentView = await Api.GetFromJsonAsync<System.Text.Json.Nodes.JsonNode>($"/api/tickets/{id}");

        Assert.That(requesterView["ai"]!["citations"]!.AsArray().Select(c => c!["slug"]!.GetValue<string>()), Is.EqualTo(new[] { "otp-not-received" }));
        Assert.That(agentView!["ai"]!["citations"]!.AsArray().Select(c => c!["slug"]!.GetValue<string>()), Is.EqualTo(new[] { "otp-not-received", "otp-gateway-incident-runbook" }));
    }
}
