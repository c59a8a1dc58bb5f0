using System.Net;
using System.Text.Json.Nodes;
using OpsDesk.Db.Auth;
using OpsDesk.Tests.Support;
using OpsDesk.Workflows.Kb;

namespace OpsDesk.Tests.Api.Kb;

/// <summary>Articles through the real API and PostgreSQL: admin writes, safe rendering, bad input, who reads what.</summary>
public sealed class KbArticleTests : ApiFixture
{
    private HttpClient admin = null!;
    private HttpClient anonymous = null!;

    [OneTimeSetUp]
    public async Task KeysAsync()
    {
        admin = Factory.CreateClientWithKey((await ApiKeys.CreateAsync(ApiKeyRoles.Admin)).Key);
        anonymous = Factory.CreateAnonymousClient();
    }

    [OneTimeTearDown]
    public void DisposeClients()
    {
        admin.Dispose();
        anonymous.Dispose();
    }

    private static string Slug() => "test-" + Guid.NewGuid().ToString("N")[..12];

    private static StringContent Article(string slug, string body = "Intro.\n\n## Answer\nDo the thing.\n", string visibility = "public", string title = "A test article") =>
        Tickets.Json(new JsonObject { ["slug"] = slug, ["title"] = title, ["body"] = body, ["tags"] = new JsonArray("test"), ["visibility"] = visibility }.ToJsonString());

    private static Task<long> CountAsync(string slug) => TestDatabase.ScalarAsync<long>("SELECT count(*) FROM kb_docs WHERE slug = @slug", ("slug", slug));

    [Test]
    public async Task Admin_creates_an_article_and_anyone_reads_it_as_sanitised_html()
    {
        var slug = Slug();
        using var created = await admin.PostAsync("/api/kb", Article(slug, "Hello **bold**.\n\n<script>alert('x')</script>\n\n[click](javascript:alert(1))\n"));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var article = await Tickets.ReadAsync(created);
        var id = article["id"]!.GetValue<long>();
        Assert.That(created.Headers.Location!.ToString(), Is.EqualTo($"/api/kb/{id}"));

        using var read = await anonymous.GetAsync($"/api/kb/{id}");
        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var html = (await Tickets.ReadAsync(read))["html"]!.GetValue<string>();
        Assert.That(html, Does.Contain("<strong>bold</strong>"));
        Assert.That(html, Does.Not.Contain("<script"));
        Assert.That(html, Does.Not.Contain("javascript:"));
        Assert.That(article["version"]!.GetValue<int>(), Is.EqualTo(1));
    }

    [Test]
    public async Task A_body_over_the_size_limit_is_a_validation_problem_and_nothing_is_written()
    {
        var slug = Slug();
        using var response = await admin.PostAsync("/api/kb", Article(slug, new string('a', KbLimits.MaxBodyLength + 1)));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((await Tickets.ReadAsync(response))["errors"]!["body"], Is.Not.Null);
        Assert.That(await CountAsync(slug), Is.Zero);
    }

    [Test]
    public async Task Bad_fields_are_named_in_the_validation_problem()
    {
        using var response = await admin.PostAsync("/api/kb", Tickets.Json("""{"slug":"Not A Slug","title":"","body":"x","visibility":"secret"}"""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var errors = (await Tickets.ReadAsync(response))["errors"]!.AsObject();
        Assert.That(errors.Select(e => e.Key), Is.SupersetOf(new[] { "slug", "title", "visibility" }));
    }

    [Test]
    public async Task Broken_markdown_is_stored_and_rendered_without_error()
    {
        using var response = await admin.PostAsync("/api/kb", Article(Slug(), "## unclosed [link( **bold *em `code\n| a | b\n|--\n<div onclick=\"x()\">"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var html = (await Tickets.ReadAsync(response))["html"]!.GetValue<string>();
        Assert.That(html, Does.Not.Contain("<div"), "raw HTML is shown as text, not rendered");
        Assert.That(html, Does.Contain("&lt;div onclick="));
    }

    [Test]
    public async Task A_second_article_with_the_same_slug_is_a_conflict()
    {
        var slug = Slug();
        using var first = await admin.PostAsync("/api/kb", Article(slug));
        using var second = await admin.PostAsync("/api/kb", Article(slug, title: "Other"));

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await CountAsync(slug), Is.EqualTo(1));
    }

    [Test]
    public async Task Updating_bumps_the_version_only_when_something_changed_and_delete_removes_it()
    {
        var slug = Slug();
        using var created = await admin.PostAsync("/api/kb", Article(slug));
        var id = (await Tickets.ReadAsync(created))["id"]!.GetValue<long>();

        using var changed = await admin.PutAsync($"/api/kb/{id}", Article(slug, "New body.\n"));
        using var same = await admin.PutAsync($"/api/kb/{id}", Article(slug, "New body.\n"));
        Assert.That((await Tickets.ReadAsync(changed))["version"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That((await Tickets.ReadAsync(same))["version"]!.GetValue<int>(), Is.EqualTo(2));

        using var deleted = await admin.DeleteAsync($"/api/kb/{id}");
        using var again = await admin.DeleteAsync($"/api/kb/{id}");
        using var missing = await admin.PutAsync($"/api/kb/{id}", Article(slug));
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Agents_cannot_write_and_internal_articles_are_hidden_from_anonymous_readers()
    {
        var slug = Slug();
        using var byAgent = await Api.PostAsync("/api/kb", Article(slug));
        Assert.That(byAgent.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        using var created = await admin.PostAsync("/api/kb", Article(slug, visibility: "internal"));
        var id = (await Tickets.ReadAsync(created))["id"]!.GetValue<long>();
        using var asAnonymous = await anonymous.GetAsync($"/api/kb/{id}");
        using var asAgent = await Api.GetAsync($"/api/kb/{id}");
        Assert.That(asAnonymous.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(asAgent.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Agents_search_by_words_and_the_portal_suggests_only_public_articles()
    {
        var word = "zorblax" + Guid.NewGuid().ToString("N")[..6];
        using var pub = await admin.PostAsync("/api/kb", Article(Slug(), $"The {word} gadget stops working.\n", title: $"{word} gadget"));
        using var hidden = await admin.PostAsync("/api/kb", Article(Slug(), $"Internal {word} runbook.\n", "internal", $"{word} runbook"));
        var pubId = (await Tickets.ReadAsync(pub))["id"]!.GetValue<long>();
        var hiddenId = (await Tickets.ReadAsync(hidden))["id"]!.GetValue<long>();

        using var search = await Api.GetAsync($"/api/kb?q={word}");
        var found = (await Tickets.ReadAsync(search))["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>()).ToList();
        Assert.That(found, Is.SupersetOf(new[] { pubId, hiddenId }));

        using var suggest = await anonymous.GetAsync($"/api/kb/suggest?q={word}");
        Assert.That(suggest.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var suggested = (await Tickets.ReadAsync(suggest))["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>()).ToList();
        Assert.That(suggested, Does.Not.Contain(hiddenId));

        using var tooShort = await anonymous.GetAsync("/api/kb/suggest?q=a");
        using var anonymousSearch = await anonymous.GetAsync($"/api/kb?q={word}");
        Assert.That(tooShort.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(anonymousSearch.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Deflection_records_of_one_session_merge_and_submitted_stays_true()
    {
        var slug = Slug();
        using var created = await admin.PostAsync("/api/kb", Article(slug));
        var id = (await Tickets.ReadAsync(created))["id"]!.GetValue<long>();
        var key = Guid.NewGuid().ToString();

        using var first = await anonymous.PostAsync("/api/kb/deflections", Tickets.Json($$"""{"sessionKey":"{{key}}","shownArticleIds":[{{id}}],"openedArticleId":{{id}},"submitted":true}"""));
        using var second = await anonymous.PostAsync("/api/kb/deflections", Tickets.Json($$"""{"sessionKey":"{{key}}","shownArticleIds":[{{id}}],"submitted":false}"""));
        using var bad = await anonymous.PostAsync("/api/kb/deflections", Tickets.Json("""{"shownArticleIds":[]}"""));

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM kb_deflections WHERE session_key = @k", ("k", key)), Is.EqualTo(1));
        Assert.That(await TestDatabase.ScalarAsync<bool>("SELECT submitted FROM kb_deflections WHERE session_key = @k", ("k", key)), Is.True);
        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT opened_id FROM kb_deflections WHERE session_key = @k", ("k", key)), Is.EqualTo(id));
    }
}
