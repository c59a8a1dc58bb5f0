using System.Net;
using OpsDesk.Db.Auth;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Web;

public sealed class ConsoleSignInTests : ApiFixture
{
    [Test]
    public async Task Console_pages_send_an_anonymous_visitor_to_sign_in()
    {
        using var browser = WebForms.Browser(Factory);

        using var response = await browser.GetAsync("/console/queue?status=open");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location!.OriginalString, Is.EqualTo("/console/sign-in?returnUrl=%2Fconsole%2Fqueue%3Fstatus%3Dopen"));
    }

    [Test]
    public async Task An_agent_key_signs_in_with_an_httponly_samesite_cookie_and_reaches_the_console()
    {
        var agent = await ApiKeys.CreateAsync(ApiKeyRoles.Agent);
        using var browser = WebForms.Browser(Factory);

        using var response = await WebForms.SubmitAsync(browser, "/console/sign-in?returnUrl=%2Fconsole%2Fqueue", "sign-in", ("Input.Key", agent.Key));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location!.OriginalString, Does.EndWith("/console/queue"));
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("opsdesk_session=", StringComparison.Ordinal));
        Assert.That(cookie.ToLowerInvariant(), Does.Contain("httponly").And.Contain("samesite=strict"));
        using var queue = await browser.GetAsync("/console/queue");
        Assert.That(queue.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await queue.Content.ReadAsStringAsync(), Does.Contain("<h1>Queue</h1>"));
    }

    [Test]
    public async Task A_wrong_key_shows_an_error_and_sets_no_session_cookie()
    {
        using var browser = WebForms.Browser(Factory);

        using var response = await WebForms.SubmitAsync(browser, "/console/sign-in", "sign-in", ("Input.Key", "odk_notarealkey1_" + new string('x', 43)));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("Sign-in failed"));
        Assert.That(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], Has.None.StartsWith("opsdesk_session="));
        using var home = await browser.GetAsync("/console");
        Assert.That(home.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
    }

    [Test]
    public async Task A_requester_key_cannot_sign_in_to_the_console()
    {
        var requester = await ApiKeys.CreateAsync(ApiKeyRoles.Requester);
        using var browser = WebForms.Browser(Factory);

        using var response = await WebForms.SubmitAsync(browser, "/console/sign-in", "sign-in", ("Input.Key", requester.Key));

        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("the console is for agent and admin keys"));
        Assert.That(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], Has.None.StartsWith("opsdesk_session="));
    }

    [Test]
    public async Task A_revoked_key_loses_its_console_session_on_the_next_request()
    {
        var agent = await ApiKeys.CreateAsync(ApiKeyRoles.Agent);
        using var browser = WebForms.Browser(Factory);
        await WebForms.SignInAsync(browser, agent.Key);

        await ApiKeys.Repository.RevokeAsync(agent.Id);
        using var response = await browser.GetAsync("/console");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
    }

    [Test]
    public async Task A_form_post_without_its_antiforgery_token_is_refused_with_400()
    {
        var agent = await ApiKeys.CreateAsync(ApiKeyRoles.Agent);
        using var browser = WebForms.Browser(Factory);

        using var response = await browser.PostAsync("/console/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "sign-in",
            ["Input.Key"] = agent.Key,
        }));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], Has.None.StartsWith("opsdesk_session="));
    }

    [Test]
    public async Task Sign_out_ends_the_session()
    {
        var agent = await ApiKeys.CreateAsync(ApiKeyRoles.Agent);
        using var browser = WebForms.Browser(Factory);
        await WebForms.SignInAsync(browser, agent.Key);
        using var home = await browser.GetAsync("/console");
        var token = WebForms.HiddenFieldsOfAction(await home.Content.ReadAsStringAsync(), "/console/sign-out")["__RequestVerificationToken"];

        using var signOut = await browser.PostAsync("/console/sign-out", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        using var after = await browser.GetAsync("/console");

        Assert.That(signOut.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
    }

    [Test]
    public async Task Two_api_instances_on_one_database_accept_each_others_session_cookie()
    {
        await using var other = new ApiFactory();
        var agent = await ApiKeys.CreateAsync(ApiKeyRoles.Agent);
        using var first = WebForms.Browser(Factory);
        await WebForms.SignInAsync(first, agent.Key);
        var cookie = await SessionCookieAsync(first);

        using var second = WebForms.Browser(other);
        second.DefaultRequestHeaders.Add("Cookie", cookie);
        using var response = await second.GetAsync("/console");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM data_protection_keys"), Is.GreaterThan(0));
    }

    private static async Task<string> SessionCookieAsync(HttpClient browser)
    {
        // The cookie container is inside the test handler; read the cookie back through a request echo.
        using var response = await browser.GetAsync("/console");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return response.RequestMessage!.Headers.GetValues("Cookie").Single();
    }
}
