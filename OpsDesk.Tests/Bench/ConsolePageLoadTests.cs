using OpsDesk.Db.Auth;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Bench;

/// <summary><c>opsdesk-bench read --console-key</c> against the real API on Kestrel: it signs in as a browser does and measures rendered pages.</summary>
public sealed class ConsolePageLoadTests
{
    private ApiFactory factory = null!;
    private string url = "";

    [OneTimeSetUp]
    public void Start()
    {
        factory = new ApiFactory();
        url = factory.StartOnKestrel().ToString();
    }

    [OneTimeTearDown]
    public async Task Stop() => await factory.DisposeAsync();

    [Test]
    public async Task A_signed_in_agent_gets_every_queue_page_rendered()
    {
        var key = await ApiKeys.CreateAsync(ApiKeyRoles.Agent);

        var run = await LoadCli.RunAsync("read", "--url", url, "--console-key", key.Key, "--header", "X-Forwarded-Proto: https",
            "--path", "/console/queue?assignee=me&status=open", "--concurrency", "1", "--duration", "1s", "--output", "json");

        Assert.That(run.ExitCode, Is.Zero, run.Stderr);
        var report = run.Json();
        Assert.That(report.GetProperty("succeeded").GetInt64(), Is.GreaterThan(0));
        Assert.That(report.GetProperty("failed").GetInt64(), Is.Zero);
    }

    [Test]
    public async Task A_page_that_redirects_to_the_sign_in_counts_as_an_error()
    {
        var key = await ApiKeys.CreateAsync(ApiKeyRoles.Agent);

        var run = await LoadCli.RunAsync("read", "--url", url, "--console-key", key.Key, "--path", "/console/admin",
            "--concurrency", "1", "--duration", "1s", "--output", "json");

        Assert.That(run.ExitCode, Is.EqualTo(1), "an agent is sent away from the admin page: nothing rendered");
        Assert.That(run.Json().GetProperty("succeeded").GetInt64(), Is.Zero);
    }

    [Test]
    public async Task A_requester_key_cannot_sign_in_and_nothing_is_measured()
    {
        var key = await ApiKeys.CreateAsync(ApiKeyRoles.Requester);

        var run = await LoadCli.RunAsync("read", "--url", url, "--console-key", key.Key, "--path", "/console/queue",
            "--concurrency", "1", "--duration", "1s", "--output", "json");

        Assert.That(run.ExitCode, Is.Not.Zero);
        Assert.That(run.Stderr, Does.Contain("console sign-in failed"));
    }

    [Test]
    public async Task A_header_without_a_colon_is_a_usage_error()
    {
        var run = await LoadCli.RunAsync("read", "--url", url, "--header", "X-Forwarded-Proto", "--concurrency", "1", "--duration", "1s");

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.Stderr, Does.Contain("--header must be 'Name: value'"));
    }
}
