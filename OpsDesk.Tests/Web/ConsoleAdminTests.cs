using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using OpsDesk.Db.Auth;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Web;

/// <summary>The console's admin page: agents and keys through the REST handlers' own rules.</summary>
public sealed partial class ConsoleAdminTests : ApiFixture
{
    private async Task<HttpClient> AdminAsync()
    {
        var browser = WebForms.Browser(Factory);
        await WebForms.SignInAsync(browser, (await ApiKeys.CreateAsync(ApiKeyRoles.Admin)).Key);
        return browser;
    }

    [Test]
    public async Task Admin_creates_an_agent_and_a_second_agent_with_its_name_is_refused_with_the_rest_message()
    {
        var name = $"console-agent-{Guid.NewGuid():N}";
        using var admin = await AdminAsync();

        using var created = await WebForms.SubmitAsync(admin, "/console/admin", "create-agent",
            ("NewAgent.Name", name), ("NewAgent.Role", ApiKeyRoles.Admin), ("NewAgent.Email", "ops@example.com"));
        var html = await created.Content.ReadAsStringAsync();
        using var conflict = await WebForms.SubmitAsync(admin, "/console/admin", "create-agent",
            ("NewAgent.Name", name), ("NewAgent.Role", ApiKeyRoles.Agent));
        var conflictHtml = await conflict.Content.ReadAsStringAsync();

        var row = (await Agents.Repository.ListAsync(CancellationToken.None)).Single(a => a.Name == name);
        Assert.Multiple(() =>
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.OK), html);
            Assert.That(html, Does.Contain($"Agent {name} created (#{row.Id})."));
            Assert.That((row.Role, row.Email, row.Active), Is.EqualTo((ApiKeyRoles.Admin, "ops@example.com", true)));
            Assert.That(conflictHtml, Does.Contain("Agent name or JWT subject in use"));
        });
    }

    [Test]
    public async Task An_invalid_agent_shows_the_validation_messages_and_creates_nothing()
    {
        var name = $"console-agent-{Guid.NewGuid():N}";
        using var admin = await AdminAsync();

        using var badRole = await WebForms.SubmitAsync(admin, "/console/admin", "create-agent", ("NewAgent.Name", name), ("NewAgent.Role", "owner"));
        var badRoleHtml = await badRole.Content.ReadAsStringAsync();
        using var noName = await WebForms.SubmitAsync(admin, "/console/admin", "create-agent", ("NewAgent.Name", ""), ("NewAgent.Role", ApiKeyRoles.Agent));
        var noNameHtml = await noName.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(badRoleHtml, Does.Contain("id=\"admin-errors\""));
            Assert.That(badRoleHtml, Does.Contain("role: "));
            Assert.That(noNameHtml, Does.Match("name: [^<]*required"));
        });
        Assert.That((await Agents.Repository.ListAsync(CancellationToken.None)).Any(a => a.Name == name), Is.False);
    }

    [Test]
    public async Task A_key_made_for_an_agent_is_shown_once_has_the_agents_role_and_works_against_the_api()
    {
        var agent = await Agents.CreateAsync(ApiKeyRoles.Agent);
        var keyName = $"console-key-{Guid.NewGuid():N}";
        using var admin = await AdminAsync();

        using var response = await WebForms.SubmitAsync(admin, "/console/admin", "create-key",
            ("NewKey.AgentId", agent.Id.ToString(CultureInfo.InvariantCulture)), ("NewKey.Name", keyName));
        var html = await response.Content.ReadAsStringAsync();
        var key = NewKey().Match(html);
        Assert.That(key.Success, Is.True, html);
        var again = await admin.GetStringAsync("/console/admin");
        using var api = Factory.CreateClientWithKey(WebUtility.HtmlDecode(key.Groups[1].Value));
        using var list = await api.GetAsync("/api/tickets");

        var row = (await ApiKeys.Repository.ListAsync(CancellationToken.None)).Single(k => k.Name == keyName);
        Assert.Multiple(() =>
        {
            Assert.That((row.Role, row.AgentId), Is.EqualTo((ApiKeyRoles.Agent, (long?)agent.Id)));
            Assert.That(again, Does.Not.Contain(key.Groups[1].Value), "the key itself is shown once");
            Assert.That(again, Does.Contain(keyName));
            Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task A_key_for_a_deactivated_agent_is_refused_with_the_rest_rule()
    {
        var agent = await Agents.CreateAsync(ApiKeyRoles.Agent);
        await Agents.Repository.DeactivateAsync(agent.Id, CancellationToken.None);
        var keyName = $"console-key-{Guid.NewGuid():N}";
        using var admin = await AdminAsync();

        using var response = await WebForms.SubmitAsync(admin, "/console/admin", "create-key",
            ("NewKey.AgentId", agent.Id.ToString(CultureInfo.InvariantCulture)), ("NewKey.Name", keyName));
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(html, Does.Contain("agentId: "));
        Assert.That(NewKey().IsMatch(html), Is.False);
        Assert.That((await ApiKeys.Repository.ListAsync(CancellationToken.None)).Any(k => k.Name == keyName), Is.False);
    }

    [Test]
    public async Task Deactivating_an_agent_stops_its_key_on_the_next_request()
    {
        var (agent, key) = await Agents.CreateWithKeyAsync();
        using var api = Factory.CreateClientWithKey(key.Key);
        using var before = await api.GetAsync("/api/tickets");
        using var admin = await AdminAsync();

        using var response = await WebForms.SubmitAsync(admin, "/console/admin", "deactivate-agent", ("Deactivate.AgentId", agent.Id.ToString(CultureInfo.InvariantCulture)));
        using var after = await api.GetAsync("/api/tickets");
        var row = await Agents.Repository.GetAsync(agent.Id, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
            Assert.That(row!.Active, Is.False);
            Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        });
    }

    [Test]
    public async Task An_agent_cannot_post_the_admin_forms()
    {
        var name = $"console-agent-{Guid.NewGuid():N}";
        using var admin = await AdminAsync();
        var page = await admin.GetStringAsync("/console/admin");
        using var agent = WebForms.Browser(Factory);
        await WebForms.SignInAsync(agent, (await ApiKeys.CreateAsync(ApiKeyRoles.Agent)).Key);
        // The agent's own antiforgery token (from a page it may see), the admin form's fields.
        var token = WebForms.HiddenFieldsOfAction(await agent.GetStringAsync("/console"), "/console/sign-out")["__RequestVerificationToken"];
        var fields = WebForms.HiddenFields(page, "create-agent");
        fields["__RequestVerificationToken"] = token;
        fields["NewAgent.Name"] = name;
        fields["NewAgent.Role"] = ApiKeyRoles.Admin;

        using var response = await agent.PostAsync("/console/admin", new FormUrlEncodedContent(fields));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location?.ToString(), Does.StartWith("/console/sign-in"));
        Assert.That((await Agents.Repository.ListAsync(CancellationToken.None)).Any(a => a.Name == name), Is.False);
    }

    [Test]
    public async Task An_admin_form_without_its_antiforgery_token_is_refused_with_400()
    {
        var name = $"console-agent-{Guid.NewGuid():N}";
        using var admin = await AdminAsync();

        using var response = await admin.PostAsync("/console/admin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "create-agent",
            ["NewAgent.Name"] = name,
            ["NewAgent.Role"] = ApiKeyRoles.Agent,
        }));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await Agents.Repository.ListAsync(CancellationToken.None)).Any(a => a.Name == name), Is.False);
    }

    [GeneratedRegex("<code id=\"new-key\">([^<]+)</code>")]
    private static partial Regex NewKey();
}
