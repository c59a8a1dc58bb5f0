using System.Net;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Api;

public sealed class PlatformTests
{
    [Test]
    public async Task Health_endpoints_report_a_reachable_database()
    {
        await using var factory = new ApiFactory();
        using var api = factory.CreateClient();

        foreach (var path in new[] { "/health/live", "/health/ready", "/health" })
        {
            using var response = await api.GetAsync(path);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
            Assert.That((await Tickets.ReadAsync(response))["status"]!.GetValue<string>(), Is.EqualTo("Healthy"), path);
        }
    }

    [Test]
    public async Task Database_down_gives_503_problems_with_retry_after_and_a_live_process()
    {
        await using var factory = new ApiFactory(new() { ["ConnectionStrings:OpsDesk"] = $"Host=127.0.0.1;Port={Ports.Free()};Username=postgres;Database=x;Timeout=2" });
        using var api = factory.CreateClient();

        using var create = await Tickets.PostAsync(api, Tickets.Body());
        using var list = await api.GetAsync("/api/tickets");
        using var ready = await api.GetAsync("/health/ready");
        using var live = await api.GetAsync("/health/live");

        foreach (var response in new[] { create, list })
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), text);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(text, Does.Not.Contain(" at "), "no stack trace");
        }

        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task OpenApi_document_describes_the_ticket_endpoints_and_docs_are_served()
    {
        await using var factory = new ApiFactory();
        using var api = factory.CreateClient();

        using var doc = await api.GetAsync("/openapi/v1.json");
        using var docs = await api.GetAsync("/docs");
        var text = await doc.Content.ReadAsStringAsync();

        Assert.That(doc.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(text, Does.Contain("/api/tickets").And.Contain("CreateTicket").And.Contain("\"subject\""));
        var body = System.Text.Json.Nodes.JsonNode.Parse(text)!["paths"]!["/api/tickets"]!["post"]!["requestBody"];
        Assert.That(body?["content"]?["application/json"]?["schema"], Is.Not.Null, "the create body is documented as JSON");
        Assert.That(docs.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await docs.Content.ReadAsStringAsync(), Does.Contain("openapi/v1.json").IgnoreCase.Or.Contain("scalar").IgnoreCase);
    }
}
