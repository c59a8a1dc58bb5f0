using System.Net;
using OpsDesk.Db.Kb;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Web;

/// <summary>
/// The create form's own POST records "submitted" for the deflection session the portal script kept in
/// its hidden fields (no browser needed: the form is posted as a browser posts it).
/// </summary>
public sealed class PortalDeflectionTests : ApiFixture
{
    private static async Task<long> ArticleAsync(string visibility)
    {
        var slug = "deflect-" + Guid.NewGuid().ToString("N")[..10];
        var input = new KbArticleInput(slug, "Deflection " + slug, "# Deflection\n\nAn answer.", [], visibility);
        return (await new KbRepository(TestDatabase.DataSource).InsertAsync(input, CancellationToken.None)).Article!.Id;
    }

    /// <summary>Raises a ticket through the form; returns the form's deflection session key.</summary>
    private static async Task<string> RaiseAsync(HttpClient browser, string subject, string? shown)
    {
        using var page = await browser.GetAsync("/");
        var session = WebForms.HiddenFields(await page.Content.ReadAsStringAsync(), "raise")["Input.KbSession"];
        var fields = new List<(string, string)> { ("Input.Subject", subject), ("Input.Description", "body of " + subject) };
        if (shown is not null)
            fields.Add(("Input.KbShown", shown));
        using var response = await WebForms.SubmitAsync(browser, "/", "raise", [.. fields, ("Input.KbSession", session)]);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("is open"));
        return session;
    }

    [Test]
    public async Task A_form_sent_after_suggestions_records_its_session_as_submitted_with_only_public_articles()
    {
        var shownPublic = await ArticleAsync(KbVisibility.Public);
        var shownInternal = await ArticleAsync(KbVisibility.Internal);
        using var browser = WebForms.Browser(Factory);

        var session = await RaiseAsync(browser, "Deflection submitted " + Guid.NewGuid().ToString("N")[..8], $"{shownPublic},{shownInternal},junk,-4");

        Assert.That(Guid.TryParse(session, out _), Is.True, "one random session key per form");
        Assert.That(await TestDatabase.ScalarAsync<bool>(
            "SELECT submitted AND opened_id IS NULL AND shown_ids = ARRAY[@id]::bigint[] FROM kb_deflections WHERE session_key = @key",
            ("key", session), ("id", shownPublic)), Is.True);
    }

    [Test]
    public async Task A_form_that_showed_no_suggestions_records_nothing()
    {
        using var browser = WebForms.Browser(Factory);

        var session = await RaiseAsync(browser, "Deflection none " + Guid.NewGuid().ToString("N")[..8], shown: null);

        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM kb_deflections WHERE session_key = @key", ("key", session)), Is.Zero);
    }
}
