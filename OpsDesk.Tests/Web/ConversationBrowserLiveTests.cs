using Microsoft.Playwright;
using OpsDesk.Db.Auth;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Web;

/// <summary>
/// The whole desk in a browser: the portal, the console, the real worker triaging on a live Temporal
/// server, the conversation between agent and requester, with live updates in between.
/// </summary>
// The live assertions (within 2 s, as the console promises) run with no other fixture loading the two cores.
[Category("Browser")]
[NonParallelizable]
[Category("Temporal")]
public sealed class ConversationBrowserLiveTests : LiveTemporalFixture
{
    private static readonly float LiveMs = 2_000;

    [Test]
    public async Task Requester_and_agent_talk_through_portal_and_console_and_only_public_replies_reach_the_requester()
    {
        var queue = "browser-" + Guid.NewGuid().ToString("N")[..8];
        var settings = LiveWorker.Settings(queue);
        await using var worker = await LiveWorker.StartAsync(Env.Client, settings);
        var factory = new ApiFactory(settings, temporal: Env.Client);
        await using var _ = factory;
        await using var session = await BrowserSession.StartAsync(factory);
        var tag = "conv" + Guid.NewGuid().ToString("N")[..10];

        // An agent watches the queue (filtered to this test's tickets).
        var agent = await session.NewPageAsync();
        await BrowserSession.SignInAsync(agent, (await ApiKeys.CreateAsync(ApiKeyRoles.Agent)).Key);
        await agent.GotoAsync($"/console/queue?q={tag}");
        await Assertions.Expect(agent.Locator("body")).ToHaveAttributeAsync("data-live-ready", "1");
        await agent.EvaluateAsync("() => { window.__noReload = true; }");

        // A requester raises a ticket in the portal.
        var requester = await session.NewPageAsync();
        await requester.GotoAsync("/");
        await requester.GetByLabel("Subject").FillAsync($"Payment failed but money debited {tag}");
        await requester.GetByLabel("Description").FillAsync("I paid 2499 INR by UPI for order ORD-88231, the app said failed but my bank account was debited.");
        await requester.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        var link = await requester.Locator("#tracking-link").GetAttributeAsync("href");
        await BrowserSession.ScreenshotAsync(requester, "portal-confirmation");

        // The agent's open queue shows it without a reload.
        var row = agent.Locator("tr[data-ticket-id]").Filter(new() { HasText = tag });
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = LiveMs });
        Assert.That(await agent.EvaluateAsync<bool>("() => window.__noReload === true"), Is.True);
        var id = await row.GetAttributeAsync("data-ticket-id");

        // Its triage result appears on the ticket page (the worker's local classifier on Temporal).
        await row.GetByRole(AriaRole.Link).ClickAsync();
        await agent.WaitForURLAsync($"**/console/tickets/{id}");
        await Assertions.Expect(agent.Locator("#ai-summary")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(agent.Locator("#ticket-state")).ToContainTextAsync("payments");

        // An internal note, then a public reply that sets the ticket pending.
        await agent.Keyboard.PressAsync("n");
        await Assertions.Expect(agent.Locator("#note-body")).ToBeFocusedAsync();
        await agent.Locator("#note-body").FillAsync($"Internal: ledger shows a reversal pending {tag}");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Add internal note" }).ClickAsync();
        await Assertions.Expect(agent.Locator(".comment.internal[data-comment-id]")).ToContainTextAsync("ledger shows a reversal");
        await agent.Keyboard.PressAsync("r");
        await Assertions.Expect(agent.Locator("#reply-body")).ToBeFocusedAsync();
        await agent.Locator("#reply-body").FillAsync("Sorry about this. The bank reverses failed UPI payments within 48 hours; we have asked them to hurry.");
        await agent.Locator("#reply-status").SelectOptionAsync("pending");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
        await Assertions.Expect(agent.Locator("#ticket-status")).ToHaveTextAsync("pending");
        await BrowserSession.AssertAccessibleAsync(agent);
        await BrowserSession.ScreenshotAsync(agent, "console-ticket-conversation");

        // The requester's tracking page shows the reply, never the note.
        await requester.GotoAsync(link!);
        await Assertions.Expect(requester.Locator("#public-status")).ToHaveTextAsync("pending");
        await Assertions.Expect(requester.Locator(".conversation")).ToContainTextAsync("The bank reverses failed UPI payments");
        Assert.That(await requester.ContentAsync(), Does.Not.Contain("ledger shows a reversal").And.Not.Contain("Internal note"));
        await BrowserSession.AssertAccessibleAsync(requester);

        // The requester replies: the ticket is open again.
        await requester.Locator("#reply-body").FillAsync("Thanks. It has been three days already.");
        await requester.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
        await Assertions.Expect(requester.Locator("#public-status")).ToHaveTextAsync("open");
        await Assertions.Expect(requester.Locator(".conversation")).ToContainTextAsync("three days already");
        await BrowserSession.ScreenshotAsync(requester, "portal-tracking");
        Assert.That(await TestDatabase.ScalarAsync<string>("SELECT status FROM tickets WHERE id = @id", ("id", long.Parse(id!, System.Globalization.CultureInfo.InvariantCulture))), Is.EqualTo("open"));
    }
}
