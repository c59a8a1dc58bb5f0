using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpsDesk.Db.Kb;
using OpsDesk.Tests.Support;
using OpsDesk.Workflows.Kb;

namespace OpsDesk.Tests.Web;

/// <summary>
/// Deflection in the portal's create form, in Chromium against the real API: the starter articles
/// (embedded with the real MiniLM) are suggested while the requester types, and each form session
/// leaves one <c>kb_deflections</c> row saying what was shown, what was opened and whether the
/// requester still submitted.
/// </summary>
[Category("Browser")]
[NonParallelizable]
public sealed class KbDeflectionBrowserTests : BrowserFixture
{
    private const string UpiTitle = "UPI payment shows failed but money was debited";
    private static readonly TimeSpan Recorded = TimeSpan.FromSeconds(10);
    private long upiArticle;

    // The API shares the test run's MiniLM instead of loading a second one. Both registrations are instances, which
    // the container never disposes (the app's IEmbeddingService factory would dispose the shared model with the API,
    // breaking every later fixture that embeds).
    protected override ApiFactory CreateFactory() => new(services: s => s.AddSingleton(KbTestData.Embeddings).AddSingleton<IEmbeddingService>(KbTestData.Embeddings));

    [OneTimeSetUp]
    public async Task ImportArticlesAsync()
    {
        var articles = await KbTestData.ImportStarterSetAsync(TestDatabase.DataSource);
        upiArticle = articles.Single(a => a.Title == UpiTitle).Id;
    }

    private static async Task TypeProblemAsync(IPage page)
    {
        await page.GotoAsync("/");
        await page.GetByLabel("Subject").PressSequentiallyAsync("UPI payment failed");
        await page.GetByLabel("Description").PressSequentiallyAsync("The app says the payment failed but the money was debited from my bank account.");
    }

    private static ILocator Suggestions(IPage page) =>
        page.GetByRole(AriaRole.List, new() { Name = "Articles that may answer your question" }).GetByRole(AriaRole.Link);

    private static Task<string> SessionKeyAsync(IPage page) => page.Locator("[data-kb-session]").InputValueAsync();

    private static Task<bool> RowAsync(string sessionKey, string condition) =>
        TestDatabase.ScalarAsync<bool>($"SELECT EXISTS (SELECT 1 FROM kb_deflections WHERE session_key = @key AND {condition})", ("key", sessionKey));

    [Test]
    public async Task Typing_a_problem_suggests_the_matching_article_accessibly_and_a_submit_is_recorded_as_submitted()
    {
        var page = await Session.NewPageAsync(phone: true);
        await TypeProblemAsync(page);

        await Assertions.Expect(Suggestions(page).First).ToBeVisibleAsync();
        await Assertions.Expect(Suggestions(page).Filter(new() { HasText = UpiTitle })).ToHaveAttributeAsync("href", $"/portal/kb/{upiArticle}");
        Assert.That(await Suggestions(page).CountAsync(), Is.InRange(1, 3));
        await Assertions.Expect(page.Locator("#kb-suggest-status")).ToContainTextAsync("may answer your question");
        await BrowserSession.AssertAccessibleAsync(page);
        await BrowserSession.ScreenshotAsync(page, "portal-suggestions");

        var key = await SessionKeyAsync(page);
        await LiveTemporal.WaitForAsync(() => RowAsync(key, $"{upiArticle} = ANY(shown_ids) AND NOT submitted"), Recorded, "the shown suggestions are recorded before any submit");

        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("is open");
        Assert.That(await RowAsync(key, $"submitted AND opened_id IS NULL AND {upiArticle} = ANY(shown_ids)"), Is.True,
            "the create request itself records the submit");
        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM kb_deflections WHERE session_key = @key", ("key", key)), Is.EqualTo(1));
    }

    [Test]
    public async Task A_requester_who_opens_a_suggested_article_and_leaves_is_recorded_as_not_submitted()
    {
        var page = await Session.NewPageAsync();
        await TypeProblemAsync(page);
        var link = Suggestions(page).Filter(new() { HasText = UpiTitle });
        await Assertions.Expect(link).ToBeVisibleAsync();
        var key = await SessionKeyAsync(page);

        var article = await page.Context.RunAndWaitForPageAsync(() => link.ClickAsync());
        await Assertions.Expect(article.Locator("h1")).ToHaveTextAsync(UpiTitle);
        await BrowserSession.AssertAccessibleAsync(article);
        await page.Context.CloseAsync();

        await LiveTemporal.WaitForAsync(() => RowAsync(key, $"opened_id = {upiArticle}"), Recorded, "the opened article is recorded");
        Assert.That(await RowAsync(key, "NOT submitted"), Is.True);
    }

    [Test]
    public async Task Internal_articles_are_not_found_in_the_portal()
    {
        var internalArticle = await TestDatabase.ScalarAsync<long>("SELECT id FROM kb_docs WHERE visibility = 'internal' ORDER BY id LIMIT 1");
        var page = await Session.NewPageAsync();
        await page.GotoAsync($"/portal/kb/{internalArticle}");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Article not found");
        await page.GotoAsync($"/portal/kb/{upiArticle}");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(UpiTitle);
    }
}
