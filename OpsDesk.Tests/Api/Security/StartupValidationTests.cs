using System.Net;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Api.Security;

public sealed class StartupValidationTests
{
    [Test]
    public void Production_refuses_to_start_with_anonymous_create_and_rate_limits_disabled()
    {
        using var factory = new ApiFactory(new() { ["RateLimits:Enabled"] = "false" }, environment: "Production");

        var error = Assert.Catch(() => factory.CreateClient());

        var message = Flatten(error!);
        Assert.That(message, Does.Contain("Auth:AllowAnonymousCreate").And.Contain("RateLimits:Enabled"));
    }

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

    [TestCase("Auth:BootstrapAdminKey", "short", "Auth:BootstrapAdminKey")]
    [TestCase("Cors:AllowedOrigins:0", "*", "Cors:AllowedOrigins")]
    [TestCase("Cors:AllowedOrigins:0", "https://portal.example.com/path", "Cors:AllowedOrigins")]
    [TestCase("RateLimits:AnonymousCreatePermitLimit", "0", "AnonymousCreatePermitLimit")]
    [TestCase("Auth:Jwt:Authority", "not a url", "Auth:Jwt:Authority")]
    [TestCase("Auth:Jwt:RoleMap:support", "superuser", "Auth:Jwt:RoleMap:support")]
    public void A_bad_setting_stops_start_up_with_a_message_naming_it(string key, string value, string named)
    {
        // Start-up must fail every time. Under parallel load the host's own teardown sometimes surfaces
        // an ObjectDisposedException instead of the validation error; a fresh start then shows the message.
        var messages = new List<string>();
        for (var attempt = 0; attempt < 3 && !messages.Any(m => m.Contains(named, StringComparison.Ordinal)); attempt++)
        {
            using var factory = new ApiFactory(new() { [key] = value });
            var error = Assert.Catch(() => factory.CreateClient());
            messages.Add(Flatten(error!));
        }

        Assert.That(messages, Has.Some.Contain(named));
    }

    private static string Flatten(Exception error)
    {
        var text = new System.Text.StringBuilder();
        for (var e = error; e is not null; e = e.InnerException)
            text.AppendLine(e.Message);
        if (error is AggregateException aggregate)
        {
            foreach (var inner in aggregate.InnerExceptions)
                text.AppendLine(inner.Message);
        }

        return text.ToString();
    }
}
