using System.Net;
using System.Text.RegularExpressions;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Api.Security;

public sealed partial class SecurityHeadersTests
{
    private ApiFactory factory = null!;

    [OneTimeSetUp]
    public void Start() => factory = new ApiFactory(new() { ["Cors:AllowedOrigins:0"] = "https://portal.example.com" });

    [OneTimeTearDown]
    public async Task Stop() => await factory.DisposeAsync();

    [Test]
    public async Task Docs_page_gets_a_csp_that_allows_only_its_own_scripts_and_forbids_framing()
    {
        using var client = factory.CreateAnonymousClient();

        using var docs = await client.GetAsync("/docs");
        var html = await docs.Content.ReadAsStringAsync();
        var csp = docs.Headers.GetValues("Content-Security-Policy").Single();

        Assert.That(docs.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.Multiple(() =>
        {
            Assert.That(docs.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
            Assert.That(docs.Headers.GetValues("X-Frame-Options").Single(), Is.EqualTo("DENY"));
            Assert.That(docs.Headers.GetValues("Referrer-Policy").Single(), Is.EqualTo("no-referrer"));
            Assert.That(csp, Does.Contain("frame-ancestors 'none'").And.Contain("script-src 'self'").And.Contain("default-src 'self'"));
        });

        // The page still works under that policy: every script and stylesheet it loads is same-origin and served.
        var sources = AssetReference().Matches(html).Select(m => m.Groups["url"].Value).ToList();
        Assert.That(sources, Is.Not.Empty);
        foreach (var src in sources)
        {
            Assert.That(Uri.TryCreate(src, UriKind.Relative, out _), Is.True, $"{src} must be same-origin for script-src 'self'");
            using var asset = await client.GetAsync(new Uri(new Uri(client.BaseAddress!, "/docs/"), src));
            Assert.That(asset.StatusCode, Is.EqualTo(HttpStatusCode.OK), src);
        }

        Assert.That(html, Does.Not.Contain("https://"), "nothing loads from another origin");
    }

    [Test]
    public async Task Json_answers_carry_nosniff_and_a_deny_all_csp()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/api/tickets?limit=1");

        Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
        Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Is.EqualTo("default-src 'none'; frame-ancestors 'none'"));
    }

    [Test]
    public async Task Cors_allows_a_configured_origin_and_no_other()
    {
        using var client = factory.CreateAnonymousClient();

        using var allowed = await client.SendAsync(Preflight("https://portal.example.com"));
        using var denied = await client.SendAsync(Preflight("https://evil.example.net"));

        Assert.That(allowed.Headers.GetValues("Access-Control-Allow-Origin").Single(), Is.EqualTo("https://portal.example.com"));
        Assert.That(allowed.Headers.GetValues("Access-Control-Allow-Headers").Single(), Does.Contain("Authorization").IgnoreCase);
        Assert.That(denied.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
    }

    [Test]
    public async Task Cors_allows_no_origin_by_default()
    {
        await using var plain = new ApiFactory();
        using var client = plain.CreateAnonymousClient();

        using var response = await client.SendAsync(Preflight("https://portal.example.com"));

        Assert.That(response.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/tickets");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return request;
    }

    [GeneratedRegex("<(?:script|link)[^>]*?(?:src|href)=\"(?<url>[^\"]+)\"")]
    private static partial Regex AssetReference();
}
