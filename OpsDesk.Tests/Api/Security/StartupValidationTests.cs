using System.Net;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Api.Security;

/// <summary>
/// Settings the API starts with. Settings it refuses are checked on the real executable, where the
/// refusal is an exit code and one line per problem: <see cref="Deploy.BadSettingsTests"/>.
/// </summary>
public sealed class StartupValidationTests
{
    [Test]
    public async Task Production_starts_with_rate_limits_on_and_serves_anonymous_create_but_not_docs()
    {
        await using var factory = new ApiFactory(environment: "Production");
        using var anonymous = factory.CreateAnonymousClient();
        using var agent = factory.CreateClient();

        using var create = await Tickets.PostAsync(anonymous, Tickets.Body());
        using var docs = await anonymous.GetAsync("/openapi/v1.json");
        using var docsWithKey = await agent.GetAsync("/openapi/v1.json");

        Assert.That(create.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(docs.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "docs need a key outside Development unless Auth:PublicDocs");
        Assert.That(docsWithKey.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Production_with_public_docs_serves_them_to_anyone()
    {
        await using var factory = new ApiFactory(new() { ["Auth:PublicDocs"] = "true" }, environment: "Production");
        using var anonymous = factory.CreateAnonymousClient();

        using var docs = await anonymous.GetAsync("/docs");

        Assert.That(docs.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Production_starts_without_rate_limits_when_anonymous_create_is_off()
    {
        await using var factory = new ApiFactory(new() { ["RateLimits:Enabled"] = "false", ["Auth:AllowAnonymousCreate"] = "false" }, environment: "Production");
        using var client = factory.CreateClient();

        using var list = await client.GetAsync("/api/tickets?limit=1");

        Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
