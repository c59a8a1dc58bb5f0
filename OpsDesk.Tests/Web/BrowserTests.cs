using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpsDesk.Db;
using OpsDesk.Db.Auth;
using OpsDesk.Db.Events;
using OpsDesk.Db.Sla;
using OpsDesk.Db.Tickets;
using OpsDesk.Db.Triage;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Web;

/// <summary>
/// The console and the portal in Debian's Chromium against the real API and database: each page
/// is checked with axe-core (no serious or critical violation) and at 360 px.
/// </summary>
// The live assertions (within 2 s, as the console promises) run with no other fixture loading the two cores.
[Category("Browser")]
[NonParallelizable]
public sealed class BrowserTests
{
    private static readonly TimeSpan Live = TimeSpan.FromSeconds(2);
    private ApiFactory factory = null!;
    private BrowserSession session = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        factory = new ApiFactory();
        session = await BrowserSession.StartAsync(factory);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (session is not null)
            await session.DisposeAsync();
        await factory.DisposeAsync();
    }

    [Test]
    public async Task A_requester_raises_a_ticket_without_javascript_and_follows_it_by_its_private_link()
    {
        var page = await session.NewPageAsync(javaScript: false);
        var subject = "Refund not received " + Guid.NewGuid().ToString("N")[..8];

        await page.GotoAsync("/");
        await page.GetByLabel("Subject").FillAsync(subject);
        await page.GetByLabel("Description").FillAsync("I returned order ORD-1234 two weeks ago and the refund has not arrived.");
        await page.GetByLabel("Email (optional, for replies)").FillAsync("asha@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("is open");
        var first = await page.Locator("h1").InnerTextAsync();

        // Resubmitting the same form (the browser's "send again") finds the same ticket, with a fresh link
        // (only the newest link works, as with a replayed REST create).
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(first);
        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM tickets WHERE subject = @subject", ("subject", subject)), Is.EqualTo(1));
        var link = await page.Locator("#tracking-link").GetAttributeAsync("href");
        Assert.That(link, Does.Match(@"^/portal/track#\d+:odt_"), "the token is in the fragment, which no request carries");

        var track = await session.NewPageAsync();
        var referers = new List<string?>();
        track.Request += (_, r) => referers.Add(r.Headers.TryGetValue("referer", out var v) ? v : null);
        var requests = new List<(string Url, string? Body)>();
        track.Request += (_, r) => requests.Add((r.Url, r.PostData));
        var response = await track.GotoAsync(link!);
        Assert.That(response!.Headers["referrer-policy"], Is.EqualTo("no-referrer"));
        await Assertions.Expect(track.Locator("h1")).ToContainTextAsync(subject);
        Assert.That(track.Url, Does.EndWith("/portal/track"), "the token leaves the address bar");
        var token = link![(link.IndexOf(':', StringComparison.Ordinal) + 1)..];
        Assert.That(requests.Select(r => r.Url), Has.None.Contains(token), "no request URL carries the token");
        Assert.That(requests.Count(r => r.Body?.Contains(Uri.EscapeDataString(token), StringComparison.Ordinal) == true || r.Body?.Contains(token, StringComparison.Ordinal) == true),
            Is.EqualTo(1), "the token travels once, in the tracking form's body");
        await Assertions.Expect(track.Locator("#public-status")).ToHaveTextAsync("open");
        Assert.That(referers, Has.All.Null.Or.Empty, "no request of the tracking page sends a Referer");
        Assert.That(referers, Has.Count.GreaterThanOrEqualTo(2), "the link, the page and its assets were requested");
        await BrowserSession.AssertAccessibleAsync(track);
    }

    [Test]
    public async Task Without_javascript_the_tracking_code_opens_the_ticket_and_a_wrong_one_does_not()
    {
        using var api = factory.CreateAnonymousClient();
        using var created = await Tickets.PostAsync(api, Tickets.Body("Tracked without script"), Guid.NewGuid().ToString("N"));
        var body = await Tickets.ReadAsync(created);
        var code = $"{body["id"]}:{body["accessToken"]}";
        var page = await session.NewPageAsync(javaScript: false);

        // axe-core needs script: it checks the same page in a context with script on.
        var checker = await session.NewPageAsync(phone: true);
        await checker.GotoAsync("/portal/track");
        await BrowserSession.AssertAccessibleAsync(checker);

        await page.GotoAsync("/portal/track");
        await page.GetByLabel("Tracking code").FillAsync(code + "x");
        await page.GetByRole(AriaRole.Button, new() { Name = "Open ticket" }).ClickAsync();
        await Assertions.Expect(page.Locator("#track-error")).ToBeVisibleAsync();
        await page.GetByLabel("Tracking code").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Open ticket" }).ClickAsync();

        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Tracked without script");
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "opsdesk_track");
        Assert.That(cookie.HttpOnly, Is.True);
        Assert.That(cookie.Path, Is.EqualTo("/portal/track"));
    }

    [Test]
    public async Task The_portal_form_shows_validation_messages_next_to_the_fields()
    {
        var page = await session.NewPageAsync(phone: true);

        await page.GotoAsync("/");
        await BrowserSession.AssertAccessibleAsync(page);
        await BrowserSession.ScreenshotAsync(page, "portal-raise");
        await page.GetByLabel("Email (optional, for replies)").FillAsync("not-an-email");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();

        await Assertions.Expect(page.Locator("#subject-error")).ToHaveTextAsync("subject is required.");
        await Assertions.Expect(page.Locator("#description-error")).ToHaveTextAsync("description is required.");
        await Assertions.Expect(page.Locator("#requesterEmail-error")).ToContainTextAsync("valid email");
        await Assertions.Expect(page.GetByLabel("Subject")).ToHaveAttributeAsync("aria-invalid", "true");
        await BrowserSession.AssertAccessibleAsync(page);
    }

    [Test]
    public async Task A_script_in_a_subject_is_shown_as_text_on_every_page()
    {
        const string hostile = "<script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\">";
        var page = await session.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByLabel("Subject").FillAsync(hostile);
        await page.GetByLabel("Description").FillAsync(hostile);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("is open");
        var id = long.Parse(Regex.Match(await page.Locator("h1").InnerTextAsync(), @"#(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        var agent = await session.NewPageAsync();
        await BrowserSession.SignInAsync(agent, (await ApiKeys.CreateAsync(ApiKeyRoles.Agent)).Key);
        foreach (var path in new[] { $"/console/tickets/{id}", $"/console/queue?q={Uri.EscapeDataString("script xss onerror")}", "/console/queue" })
        {
            await agent.GotoAsync(path);
            Assert.That(await agent.EvaluateAsync<object?>("() => window.__xss ?? null"), Is.Null, path);
        }

        await agent.GotoAsync($"/console/tickets/{id}");
        await Assertions.Expect(agent.Locator("h1")).ToHaveTextAsync($"#{id} {hostile}");
        Assert.That(await page.EvaluateAsync<object?>("() => window.__xss ?? null"), Is.Null);
    }

    [Test]
    public async Task Sign_in_with_a_wrong_key_shows_an_error_and_no_session()
    {
        var page = await session.NewPageAsync();

        await page.GotoAsync("/console/queue");
        Assert.That(page.Url, Does.Contain("/console/sign-in"));
        await BrowserSession.AssertAccessibleAsync(page);
        await page.GetByLabel("API key").FillAsync("odk_wrongwrongwr_" + new string('a', 43));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Sign-in failed");
        var cookies = await page.Context.CookiesAsync();
        Assert.That(cookies.Select(c => c.Name), Has.None.EqualTo("opsdesk_session"));
    }

    [Test]
    public async Task A_form_post_without_the_antiforgery_token_is_refused()
    {
        var page = await session.NewPageAsync();
        await BrowserSession.SignInAsync(page, (await ApiKeys.CreateAsync(ApiKeyRoles.Agent)).Key);
        var id = await NewTicketAsync("CSRF target");

        var status = await page.EvaluateAsync<int>("""
            async (id) => (await fetch('/console/tickets/' + id, { method: 'POST',
                body: new URLSearchParams({ _handler: 'change', 'Change.Status': 'closed' }) })).status
            """, id);

        Assert.That(status, Is.EqualTo(400));
        Assert.That(await TestDatabase.ScalarAsync<string>("SELECT status FROM tickets WHERE id = @id", ("id", id)), Is.EqualTo("open"));
    }

    [Test]
    public async Task The_queue_is_driven_by_keyboard_and_shows_a_new_ticket_without_reload()
    {
        var tag = "kbd" + Guid.NewGuid().ToString("N")[..10];
        var first = await NewTicketAsync($"Login loop {tag}");
        var second = await NewTicketAsync($"OTP never arrives {tag}");
        var page = await session.NewPageAsync();
        await BrowserSession.SignInAsync(page, (await ApiKeys.CreateAsync(ApiKeyRoles.Agent)).Key);
        await page.GotoAsync($"/console/queue?q={tag}");
        await Assertions.Expect(page.Locator("body")).ToHaveAttributeAsync("data-live-ready", "1");
        await BrowserSession.AssertAccessibleAsync(page);
        await page.EvaluateAsync("() => { window.__noReload = true; }");

        var third = await NewTicketAsync($"Card declined {tag}");
        await Assertions.Expect(page.Locator($"tr[data-ticket-id='{third}']")).ToBeVisibleAsync(new() { Timeout = (float)Live.TotalMilliseconds });
        Assert.That(await page.EvaluateAsync<bool>("() => window.__noReload === true"), Is.True, "the page was not reloaded");

        await page.Keyboard.PressAsync("j");
        await Assertions.Expect(page.Locator("tr.is-selected")).ToHaveAttributeAsync("data-ticket-id", third.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.Keyboard.PressAsync("j");
        await page.Keyboard.PressAsync("j");
        await page.Keyboard.PressAsync("k");
        await Assertions.Expect(page.Locator("tr.is-selected")).ToHaveAttributeAsync("data-ticket-id", second.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.Keyboard.PressAsync("?");
        await Assertions.Expect(page.Locator("#shortcuts")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync($"**/console/tickets/{second}");
        Assert.That(first, Is.LessThan(second));
    }

    [Test]
    public async Task A_triage_result_shows_on_an_open_ticket_page_without_reload()
    {
        var id = await NewTicketAsync("Payment debited twice for one order");
        var page = await session.NewPageAsync();
        await BrowserSession.SignInAsync(page, (await ApiKeys.CreateAsync(ApiKeyRoles.Agent)).Key);
        await page.GotoAsync($"/console/tickets/{id}");
        await Assertions.Expect(page.Locator("body")).ToHaveAttributeAsync("data-live-ready", "1");
        await Assertions.Expect(page.Locator("#ai-pending")).ToBeVisibleAsync();
        await page.EvaluateAsync("() => { window.__noReload = true; }");

        // What the triage activity saves (the result, the ticket's fields and ticket.classified, in one transaction).
        var triage = factory.Services.GetRequiredService<TriageRepository>();
        await triage.SaveAsync(new TriageResultRow(id, "Customer charged twice for one order.", "payments", "P1", "[]", 0.9, "en", "negative", "local", "lexicon-v1", "local-v1"), CancellationToken.None);

        await Assertions.Expect(page.Locator("#ai-summary")).ToHaveTextAsync("Customer charged twice for one order.", new() { Timeout = (float)Live.TotalMilliseconds });
        Assert.That(await page.EvaluateAsync<bool>("() => window.__noReload === true"), Is.True, "the page was not reloaded");
        await Assertions.Expect(page.Locator("#ticket-timeline")).ToContainTextAsync("ticket.classified");
    }

    [Test]
    public async Task Console_pages_pass_axe_and_fit_360_px_and_are_screenshotted()
    {
        var tag = "shot" + Guid.NewGuid().ToString("N")[..8];
        var id = await NewTicketAsync($"Card payment failed but money debited {tag}");
        var other = await NewTicketAsync($"Cannot log in after the update {tag}");
        await GiveTheDashboardSlaFiguresAsync(id, other);
        foreach (var phone in new[] { false, true })
        {
            var page = await session.NewPageAsync(phone);
            await BrowserSession.SignInAsync(page, (await ApiKeys.CreateAsync(ApiKeyRoles.Admin)).Key);
            foreach (var (path, name) in new[]
                     {
                         ("/console", "console-home"), ($"/console/queue?q={tag}", "console-queue"), ($"/console/tickets/{id}", "console-ticket"),
                         ("/console/dashboard", "console-dashboard"), ("/console/triage-failed", "console-triage-failed"), ("/console/admin", "console-admin"),
                     })
            {
                await page.GotoAsync(path);
                await BrowserSession.AssertAccessibleAsync(page);
                if (!phone)
                    await BrowserSession.ScreenshotAsync(page, name);
            }
        }
    }

    /// <summary>A first response through the API and completed SLA targets (as the SLA workflow writes them), so the dashboard's charts have bars.</summary>
    private async Task GiveTheDashboardSlaFiguresAsync(long answered, long unanswered)
    {
        using var api = factory.CreateClient();
        await Comments.AddAsync(api, answered, "We can see the double charge and have asked the bank to reverse it.");
        await using var conn = await TestDatabase.DataSource.OpenConnectionAsync();
        foreach (var (ticket, target, outcome) in new[]
                 {
                     (answered, SlaTarget.FirstResponse, "met"), (answered, SlaTarget.Resolution, "met"),
                     (unanswered, SlaTarget.FirstResponse, "breached"), (unanswered, SlaTarget.Resolution, "breached"),
                 })
        {
            var completed = new SlaCompletedEvent { TargetKind = target, Duration = TimeSpan.FromHours(4), Priority = TicketPriority.P2, Outcome = outcome, State = SlaState.Completed };
            await TicketEventWriter.AppendAsync(conn, null, ticket, completed, $"completed:{WireNames.Of(target)}", CancellationToken.None);
        }
    }

    private async Task<long> NewTicketAsync(string subject)
    {
        using var api = factory.CreateClient();
        var ticket = await Tickets.CreateAsync(api, Tickets.Body(subject, "Details: " + subject));
        return ticket["id"]!.GetValue<long>();
    }
}
