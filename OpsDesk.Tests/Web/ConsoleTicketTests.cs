using System.Globalization;
using System.Net;
using OpsDesk.Db.Auth;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Web;

public sealed class ConsoleTicketTests : ApiFixture
{
    [Test]
    public async Task The_change_form_assigns_tags_and_sets_status_through_the_patch_rules()
    {
        var id = (await Tickets.CreateAsync(Api, Tickets.Body("Assign me")))["id"]!.GetValue<long>();
        var agent = await ApiKeys.CreateAsync(ApiKeyRoles.Agent);
        using var browser = WebForms.Browser(Factory);
        await WebForms.SignInAsync(browser, agent.Key);
        var path = $"/console/tickets/{id}";

        using var saved = await WebForms.SubmitAsync(browser, path, "change",
            ("Change.Status", "pending"), ("Change.Assignee", agent.AgentId!.Value.ToString(CultureInfo.InvariantCulture)), ("Change.Tags", "refund, vip"));
        using var refused = await WebForms.SubmitAsync(browser, path, "change", ("Change.Status", "closed"), ("Change.Tags", "Not A Slug!"));

        Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(await TestDatabase.ScalarAsync<string>("SELECT status FROM tickets WHERE id = @id", ("id", id)), Is.EqualTo("pending"));
        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT assignee_id FROM tickets WHERE id = @id", ("id", id)), Is.EqualTo(agent.AgentId));
        Assert.That(await TestDatabase.ScalarAsync<string[]>("SELECT tags FROM tickets WHERE id = @id", ("id", id)), Is.EquivalentTo(new[] { "refund", "vip" }));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("class=\"error\" role=\"alert\""));
        Assert.That(await TestDatabase.ScalarAsync<string>("SELECT status FROM tickets WHERE id = @id", ("id", id)), Is.EqualTo("pending"), "an invalid change writes nothing");
    }

    [Test]
    public async Task A_reply_that_sets_pending_and_a_note_appear_in_the_conversation_and_a_resubmitted_reply_is_one_comment()
    {
        var id = (await Tickets.CreateAsync(Api, Tickets.Body("Talk to me")))["id"]!.GetValue<long>();
        using var browser = WebForms.Browser(Factory);
        await WebForms.SignInAsync(browser, (await ApiKeys.CreateAsync(ApiKeyRoles.Agent)).Key);
        var path = $"/console/tickets/{id}";
        using var page = await browser.GetAsync(path);
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var reply = WebForms.HiddenFields(await page.Content.ReadAsStringAsync(), "reply");
        reply["Reply.Body"] = "We are looking into it.";
        reply["Reply.Status"] = "pending";

        using var first = await browser.PostAsync(path, new FormUrlEncodedContent(reply));
        using var again = await browser.PostAsync(path, new FormUrlEncodedContent(reply));
        using var note = await WebForms.SubmitAsync(browser, path, "note", ("Note.Body", "Internal: check the ledger"));
        var html = await browser.GetStringAsync(path);

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM ticket_comments WHERE ticket_id = @id AND public", ("id", id)), Is.EqualTo(1));
        Assert.That(await TestDatabase.ScalarAsync<string>("SELECT status FROM tickets WHERE id = @id", ("id", id)), Is.EqualTo("pending"));
        Assert.That(html, Does.Contain("We are looking into it.").And.Contain("Internal: check the ledger").And.Contain("class=\"comment internal\""));
    }
}
