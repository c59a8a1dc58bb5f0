using System.Net;
using OpsDesk.Db.Auth;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Api.Security;

public sealed class RateLimitTests
{
    [Test]
    public async Task The_anonymous_create_after_the_limit_gets_429_with_retry_after()
    {
        await using var factory = new ApiFactory(new() { ["RateLimits:AnonymousCreatePermitLimit"] = "3", ["RateLimits:AnonymousCreateWindowSeconds"] = "120" });
        using var anonymous = factory.CreateAnonymousClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var ok = await Tickets.PostAsync(anonymous, Tickets.Body());
            statuses.Add(ok.StatusCode);
        }

        using var limited = await Tickets.PostAsync(anonymous, Tickets.Body());
        using var withKey = await Tickets.PostAsync(factory.CreateClient(), Tickets.Body());

        Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.Created));
        Assert.That(limited.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(limited.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(limited.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromSeconds(120)));
        Assert.That((await Tickets.ReadAsync(limited))["status"]!.GetValue<int>(), Is.EqualTo(429));
        Assert.That(withKey.StatusCode, Is.EqualTo(HttpStatusCode.Created), "callers with a key are not counted as anonymous");
    }

    [Test]
    public async Task Each_key_has_its_own_window_and_the_call_after_the_limit_gets_429()
    {
        await using var factory = new ApiFactory(new() { ["RateLimits:PerClientPermitLimit"] = "4", ["RateLimits:PerClientWindowSeconds"] = "60" });
        using var busy = factory.CreateClientWithKey((await ApiKeys.CreateAsync(ApiKeyRoles.Agent)).Key);
        using var quiet = factory.CreateClientWithKey((await ApiKeys.CreateAsync(ApiKeyRoles.Agent)).Key);

        var statuses = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await busy.GetAsync("/api/tickets?limit=1");
            statuses.Add((int)response.StatusCode);
        }

        using var other = await quiet.GetAsync("/api/tickets?limit=1");
        using var health = await busy.GetAsync("/health/live");

        Assert.That(statuses, Is.EqualTo(new[] { 200, 200, 200, 200, 429 }));
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK), "health probes are not rate limited");
    }

    [Test]
    public async Task Disabled_rate_limits_let_every_call_through()
    {
        await using var factory = new ApiFactory(new() { ["RateLimits:Enabled"] = "false", ["RateLimits:AnonymousCreatePermitLimit"] = "1" });
        using var anonymous = factory.CreateAnonymousClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await Tickets.PostAsync(anonymous, Tickets.Body());
            statuses.Add(response.StatusCode);
        }

        Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.Created));
    }

    [Test]
    public async Task Concurrency_cap_without_queue_refuses_calls_beyond_it()
    {
        // One slot and no queue: of many simultaneous calls some must be refused with 429.
        await using var factory = new ApiFactory(new() { ["RateLimits:ConcurrencyLimit"] = "1", ["RateLimits:ConcurrencyQueueLimit"] = "0" });
        using var client = factory.CreateClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => client.GetAsync("/api/tickets?limit=50")));
        var statuses = responses.Select(r => (int)r.StatusCode).ToList();
        foreach (var r in responses)
            r.Dispose();

        Assert.That(statuses, Has.Some.EqualTo(429));
        Assert.That(statuses, Has.Some.EqualTo(200));
        Assert.That(statuses.Distinct(), Is.SubsetOf(new[] { 200, 429 }));
    }
}
