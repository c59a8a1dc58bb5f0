using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpsDesk.Tests.Deploy;

namespace OpsDesk.Tests.Support;

/// <summary>
/// Debian's Chromium (<c>apt-get install chromium</c>; <see cref="ChromiumVariable"/> names another
/// binary) driven by Playwright for .NET — no browser download — against the real API on Kestrel
/// (<see cref="ApiFactory"/> with a real port). Without a Chromium the calling fixture is skipped
/// with the reason; everything else missing (axe-core) fails.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    public const string ChromiumVariable = "OPSDESK_TEST_CHROMIUM";
    public const string ScreenshotsVariable = "OPSDESK_UPDATE_SCREENSHOTS";
    private const string DefaultChromium = "/usr/bin/chromium";

    private static readonly Lazy<string> AxeSource = new(() =>
    {
        var path = RepoFiles.Path("deploy/a11y/node_modules/axe-core/axe.min.js");
        Assert.That(File.Exists(path), Is.True, "axe-core is not installed: run `npm ci --prefix deploy/a11y` (.ci/run does).");
        return File.ReadAllText(path);
    });

    private readonly IPlaywright playwright;

    private BrowserSession(IPlaywright playwright, IBrowser browser, Uri baseAddress)
    {
        this.playwright = playwright;
        Browser = browser;
        BaseAddress = baseAddress;
    }

    public IBrowser Browser { get; }

    public Uri BaseAddress { get; }

    public static string ChromiumPath => Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } path ? path : DefaultChromium;

    /// <summary>Starts <paramref name="factory"/> on Kestrel and a headless Chromium; skips the test when no Chromium is installed.</summary>
    public static async Task<BrowserSession> StartAsync(ApiFactory factory)
    {
        if (!File.Exists(ChromiumPath))
            Assert.Ignore($"Browser test skipped: no Chromium at {ChromiumPath} (apt-get install chromium, or set {ChromiumVariable}).");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");

        var address = factory.StartOnKestrel();
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Root in CI: Chromium's sandbox needs an unprivileged user.
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
        return new BrowserSession(playwright, browser, address);
    }

    /// <summary>A new browser context (its own cookies) and page; 360 px wide when <paramref name="phone"/>.</summary>
    public async Task<IPage> NewPageAsync(bool phone = false, bool javaScript = true)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = phone ? new ViewportSize { Width = 360, Height = 740 } : new ViewportSize { Width = 1280, Height = 900 },
            JavaScriptEnabled = javaScript,
        });
        context.SetDefaultTimeout(15_000);
        // A cold server under a loaded CI machine can take long for its first pages; the live checks keep their own 2 s.
        context.SetDefaultNavigationTimeout(45_000);
        return await context.NewPageAsync();
    }

    /// <summary>Signs <paramref name="page"/>'s context in to the console with <paramref name="key"/>.</summary>
    public static async Task SignInAsync(IPage page, string key, string path = "/console/sign-in")
    {
        await page.GotoAsync(path);
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // The default (load): when the redirect has already happened, WaitForURL waits for that load state, and with
        // Commit (not a load state) that wait never ended — a 45 s timeout whenever the redirect beat this call.
        await page.WaitForURLAsync(url => !url.Contains("/sign-in", StringComparison.Ordinal));
    }

    /// <summary>Runs axe-core on the page; returns its serious and critical violations as "rule: targets" lines.</summary>
    public static async Task<IReadOnlyList<string>> SeriousA11yViolationsAsync(IPage page)
    {
        // Evaluated through the DevTools protocol, which the page's CSP (no inline script) does not govern.
        await page.EvaluateAsync(AxeSource.Value);
        var violations = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const r = await axe.run(document, { resultTypes: ['violations'] });
              return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(', '));
            }
            """);
        return violations.EnumerateArray().Select(v => v.GetString()!).ToList();
    }

    /// <summary>Asserts axe-core finds no serious or critical violation, and nothing wider than the viewport.</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var violations = await SeriousA11yViolationsAsync(page);
        Assert.That(violations, Is.Empty, $"axe-core on {page.Url}");
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.That(overflow, Is.LessThanOrEqualTo(0), $"{page.Url} is wider than the {page.ViewportSize?.Width}px viewport");
    }

    /// <summary>A full-page screenshot: into docs/screenshots with <see cref="ScreenshotsVariable"/>=1, else the test's output.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var dir = Environment.GetEnvironmentVariable(ScreenshotsVariable) == "1"
            ? RepoFiles.Path("docs/screenshots")
            : Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots");
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
    }
}
