using System.Net;
using OpsDesk.Db.Auth;
using OpsDesk.Db.Triage;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Web;

public sealed class DashboardTests : ApiFixture
{
    [Test]
    public async Task Dashboard_draws_its_charts_as_svg_with_the_database_numbers()
    {
        var before = await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM tickets WHERE status = 'open' AND priority IS NULL");
        await Tickets.CreateAsync(Api, Tickets.Body("Dashboard ticket"));
        using var browser = WebForms.Browser(Factory);
        await WebForms.SignInAsync(browser, (await ApiKeys.CreateAsync(ApiKeyRoles.Agent)).Key);

        using var response = await browser.GetAsync("/console/dashboard");
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), html);
        Assert.That(html, Does.Contain("<svg class=\"chart\" role=\"img\" aria-label=\"Tickets per day by category\""));
        Assert.That(html, Does.Contain("<svg class=\"chart\" role=\"img\" aria-label=\"Open tickets by priority\""));
        // The untriaged open tickets ("none"), as the bar's text; parallel tests may add more, never fewer.
        var shown = System.Text.RegularExpressions.Regex.Match(html, @"<title>none: ([\d,]+)</title>");
        Assert.That(shown.Success, Is.True, "a bar for untriaged open tickets");
        Assert.That(long.Parse(shown.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(before));
    }

    [Test]
    public async Task Home_counts_link_to_the_queue_and_count_failed_triage()
    {
        var ticket = await Tickets.CreateAsync(Api, Tickets.Body("Will fail triage"));
        var id = ticket["id"]!.GetValue<long>();
        await new TriageRepository(TestDatabase.DataSource).RecordFailureAsync(id, "run-1", "schema", "bad reply", 3, CancellationToken.None);
        var failed = await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM tickets WHERE triage_status = 'failed'");
        using var browser = WebForms.Browser(Factory);
        await WebForms.SignInAsync(browser, (await ApiKeys.CreateAsync(ApiKeyRoles.Agent)).Key);

        var html = await browser.GetStringAsync("/console");
        var list = await browser.GetStringAsync("/console/triage-failed");

        Assert.That(html, Does.Match($@"<a href=""/console/triage-failed""><span class=""n"">\d+</span>Triage failed</a>"));
        var shown = long.Parse(System.Text.RegularExpressions.Regex.Match(html, @"<span class=""n"">(\d+)</span>Triage failed").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(shown, Is.GreaterThanOrEqualTo(failed));
        Assert.That(list, Does.Contain($"<a href=\"/console/tickets/{id}\">Will fail triage</a>"));
    }

    [Test]
    public async Task Admin_page_is_for_admins_and_revokes_a_key_with_the_rest_rule()
    {
        var victim = await ApiKeys.CreateAsync(ApiKeyRoles.Requester);
        using var agent = WebForms.Browser(Factory);
        await WebForms.SignInAsync(agent, (await ApiKeys.CreateAsync(ApiKeyRoles.Agent)).Key);
        using var denied = await agent.GetAsync("/console/admin");
        Assert.That(denied.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));

        using var admin = WebForms.Browser(Factory);
        await WebForms.SignInAsync(admin, (await ApiKeys.CreateAsync(ApiKeyRoles.Admin)).Key);
        using var revoke = await WebForms.SubmitAsync(admin, "/console/admin", "revoke", ("Revoke.KeyId", victim.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Assert.That(revoke.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That((await ApiKeys.Repository.GetAsync(victim.Id))!.RevokedAt, Is.Not.Null);
    }
}
