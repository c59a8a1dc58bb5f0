using System.Net;
using Microsoft.IdentityModel.Tokens;
using OpsDesk.Db.Auth;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Web;

/// <summary>The console's sign-in with a JWT, validated by the API's own JwtBearer scheme (a local issuer; no network).</summary>
public sealed class ConsoleJwtSignInTests : JwtApiFixture
{
    [Test]
    public async Task A_token_of_an_agent_signs_in_as_that_agent_with_the_session_cookie()
    {
        var subject = "console-jwt-" + Guid.NewGuid().ToString("N");
        var agent = await Agents.CreateAsync(ApiKeyRoles.Agent, jwtSubject: subject);
        var word = "jwtmine" + Guid.NewGuid().ToString("N")[..10];
        using var api = Factory.CreateClient();
        var id = (await Tickets.CreateAsync(api, Tickets.Body($"Assigned {word}")))["id"]!.GetValue<long>();
        await TestDatabase.ExecuteAsync("UPDATE tickets SET assignee_id = @agent WHERE id = @id", ("agent", agent.Id), ("id", id));
        using var browser = WebForms.Browser(Factory);

        using var signIn = await WebForms.SubmitAsync(browser, "/console/sign-in", "sign-in", ("Input.Key", LocalJwtIssuer.Token(subject, "support-team")));
        var cookies = signIn.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
        using var mine = await browser.GetAsync($"/console/queue?assignee=me&q={word}");
        var html = await mine.Content.ReadAsStringAsync();

        Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await signIn.Content.ReadAsStringAsync());
        Assert.That(cookies, Has.One.StartsWith("opsdesk_session=").And.Contains("httponly").IgnoreCase.And.Contains("samesite=strict").IgnoreCase);
        Assert.That(mine.StatusCode, Is.EqualTo(HttpStatusCode.OK), html);
        Assert.That(html, Does.Contain($"<a href=\"/console/tickets/{id}\">Assigned {word}</a>"), "assignee=me is the token's agent");
    }

    [Test]
    public async Task A_requester_token_is_refused_with_a_clear_message_and_no_cookie()
    {
        using var browser = WebForms.Browser(Factory);

        using var response = await WebForms.SubmitAsync(browser, "/console/sign-in", "sign-in", ("Input.Key", LocalJwtIssuer.Token("customer-" + Guid.NewGuid().ToString("N"), "customers")));
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain("the console is for agents and admins, and this token&#x27;s role is not one"));
        Assert.That(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], Has.None.StartsWith("opsdesk_session="));
    }

    [Test]
    public async Task A_forged_or_foreign_audience_token_is_refused_as_invalid()
    {
        var subject = "console-jwt-" + Guid.NewGuid().ToString("N");
        await Agents.CreateAsync(ApiKeyRoles.Agent, jwtSubject: subject);

        foreach (var token in new[]
        {
            LocalJwtIssuer.Token(subject, "support-team", new SymmetricSecurityKey(new byte[32])),
            LocalJwtIssuer.Token(subject, "support-team", audience: "someone-else"),
        })
        {
            using var browser = WebForms.Browser(Factory);
            using var response = await WebForms.SubmitAsync(browser, "/console/sign-in", "sign-in", ("Input.Key", token));
            var html = await response.Content.ReadAsStringAsync();

            Assert.That(html, Does.Contain("Sign-in failed: that token is invalid or expired."));
            Assert.That(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], Has.None.StartsWith("opsdesk_session="));
        }
    }

    [Test]
    public async Task An_agent_token_whose_subject_is_no_agent_is_refused()
    {
        using var browser = WebForms.Browser(Factory);

        using var response = await WebForms.SubmitAsync(browser, "/console/sign-in", "sign-in", ("Input.Key", LocalJwtIssuer.Token("unmapped-" + Guid.NewGuid().ToString("N"), "support-team")));

        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("no agent has this token&#x27;s subject"));
    }

    [Test]
    public async Task Deactivating_the_agent_ends_its_jwt_session_on_the_next_request()
    {
        var subject = "console-jwt-" + Guid.NewGuid().ToString("N");
        var agent = await Agents.CreateAsync(ApiKeyRoles.Agent, jwtSubject: subject);
        using var browser = WebForms.Browser(Factory);
        await WebForms.SignInAsync(browser, LocalJwtIssuer.Token(subject, "support-team"));
        using var before = await browser.GetAsync("/console");

        await Agents.Repository.DeactivateAsync(agent.Id);
        using var after = await browser.GetAsync("/console");

        Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
    }

    [Test]
    public async Task A_token_of_a_deactivated_agent_is_refused_saying_so()
    {
        var subject = "console-jwt-" + Guid.NewGuid().ToString("N");
        var agent = await Agents.CreateAsync(ApiKeyRoles.Agent, jwtSubject: subject);
        await Agents.Repository.DeactivateAsync(agent.Id);
        using var browser = WebForms.Browser(Factory);

        using var response = await WebForms.SubmitAsync(browser, "/console/sign-in", "sign-in", ("Input.Key", LocalJwtIssuer.Token(subject, "support-team")));

        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("Sign-in failed: the agent this token signs in as is deactivated."));
        Assert.That(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], Has.None.StartsWith("opsdesk_session="));
    }

    [Test]
    public async Task The_session_ends_when_its_token_expires()
    {
        var subject = "console-jwt-" + Guid.NewGuid().ToString("N");
        await Agents.CreateAsync(ApiKeyRoles.Agent, jwtSubject: subject);
        using var browser = WebForms.Browser(Factory);
        // Expired 10 s ago: still inside the validation's clock skew, so the sign-in takes it.
        await WebForms.SignInAsync(browser, LocalJwtIssuer.Token(subject, "support-team", expires: DateTime.UtcNow.AddSeconds(-10)));

        using var next = await browser.GetAsync("/console");

        Assert.That(next.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(next.Headers.Location?.ToString(), Does.StartWith("/console/sign-in"));
    }

    [Test]
    public async Task Without_an_authority_the_console_takes_no_jwt()
    {
        var subject = "console-jwt-" + Guid.NewGuid().ToString("N");
        await Agents.CreateAsync(ApiKeyRoles.Agent, jwtSubject: subject);
        await using var plain = new ApiFactory();
        using var browser = WebForms.Browser(plain);

        using var response = await WebForms.SubmitAsync(browser, "/console/sign-in", "sign-in", ("Input.Key", LocalJwtIssuer.Token(subject, "support-team")));

        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("Sign-in failed: that key is unknown or revoked."));
    }
}
