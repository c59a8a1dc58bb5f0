using System.Diagnostics;
using Npgsql;
using OpsDesk.Db.Configuration;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Deploy;

/// <summary>
/// The table "What a bad setting does" in deploy/README.md, row by row: the real API and worker
/// executables started with one bad setting each must exit non-zero with one line naming the
/// configuration key (one line per problem: a bad JWT authority also reports the audience it needs),
/// and no stack trace.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class BadSettingsTests
{
    public enum App
    {
        Api,
        Worker,
    }

    [TestCase(App.Api, "Temporal__Address", "not a host", "Temporal:Address")]
    [TestCase(App.Worker, "Temporal__Address", "not a host", "Temporal:Address")]
    [TestCase(App.Worker, "Kafka__BootstrapServers", "not a host", "Kafka:BootstrapServers")]
    [TestCase(App.Api, "Triage__Provider", "openai", "OpenAI:ApiKey")]
    [TestCase(App.Worker, "Triage__Provider", "openai", "OpenAI:ApiKey")]
    [TestCase(App.Api, "Triage__Provider", "gpt", "Triage:Provider")]
    [TestCase(App.Api, "Database__CommandTimeoutSeconds", "0", "Database:CommandTimeoutSeconds")]
    [TestCase(App.Api, "RateLimits__AnonymousCreatePermitLimit", "0", "RateLimits:AnonymousCreatePermitLimit")]
    [TestCase(App.Api, "Auth__Jwt__Authority", "not a url", "Auth:Jwt:Authority")]
    [TestCase(App.Api, "ConnectionStrings__OpsDesk", "", "ConnectionStrings:OpsDesk")]
    [TestCase(App.Api, "RateLimits__Enabled", "false", "Auth:AllowAnonymousCreate")]
    [TestCase(App.Api, "Auth__BootstrapAdminKey", "short", "Auth:BootstrapAdminKey")]
    [TestCase(App.Api, "Cors__AllowedOrigins__0", "*", "Cors:AllowedOrigins")]
    [TestCase(App.Api, "Cors__AllowedOrigins__0", "https://portal.example.com/path", "Cors:AllowedOrigins")]
    [TestCase(App.Api, "Auth__Jwt__RoleMap__support", "superuser", "Auth:Jwt:RoleMap:support")]
    [TestCase(App.Worker, "Sla__WarningAt", "2", "Sla:WarningAt")]
    public async Task A_bad_setting_stops_the_process_with_one_line_naming_the_key(App app, string variable, string value, string key)
    {
        var run = await RunAsync(app, new() { [variable] = value });

        AssertRefused(run, key);
    }

    [TestCase(App.Api)]
    [TestCase(App.Worker)]
    public async Task A_typo_in_the_database_name_stops_start_up_and_creates_no_database(App app)
    {
        var database = "opsdesk_typo_" + Guid.NewGuid().ToString("N")[..8];
        var cs = new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString) { Database = database }.ConnectionString;

        // Migrate-on-start left on (its default): it must not create the database either.
        var run = await RunAsync(app, new() { ["ConnectionStrings__OpsDesk"] = cs, ["Database__MigrateOnStart"] = "true" });

        AssertRefused(run, "ConnectionStrings:OpsDesk");
        Assert.That(run.Err, Does.Contain(database).And.Contain("does not exist"));
        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM pg_database WHERE datname = @d", ("d", database)), Is.Zero);
    }

    [Test]
    public async Task A_background_service_that_dies_makes_the_worker_exit_non_zero()
    {
        // An unknown librdkafka setting makes the relay throw when it builds its producer (until
        // Kafka:Producer:* is validated at start, which must then fail start-up instead): either way
        // a supervisor sees a failure and the setting's name.
        var cs = await TestDatabase.CreateIsolatedDatabaseAsync();
        var run = await RunAsync(App.Worker, new()
        {
            ["ConnectionStrings__OpsDesk"] = cs,
            ["Kafka__BootstrapServers"] = $"127.0.0.1:{Ports.Free()}",
            ["Kafka__ProvisionTopics"] = "false",
            ["Kafka__Producer__no.such.setting"] = "1",
        });

        Assert.That(run.Code, Is.Not.Zero, run.ToString());
        Assert.That(run.Err, Does.Contain("no.such.setting"), run.ToString());
    }

    [Test]
    public async Task The_worker_listens_where_ASPNETCORE_URLS_says()
    {
        var port = Ports.Free();
        using var process = Start(App.Worker, new() { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" });
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var deadline = Stopwatch.StartNew();
            HttpResponseMessage? live = null;
            while (live is null && deadline.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited)
            {
                try
                {
                    live = await http.GetAsync($"http://127.0.0.1:{port}/health/live");
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(100);
                }
            }

            Assert.That(live?.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK), process.HasExited ? "the worker exited" : "nothing answered on the port");
            live!.Dispose();
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static void AssertRefused(Run run, string key)
    {
        var errors = run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(run.Code, Is.EqualTo(StartupCheck.ExitCode), run.ToString());
            // One line per problem, each naming its key ("error: Section:Key ..."); one of them this key.
            Assert.That(errors, Has.Some.Contain(key).And.All.Match(@"^error: [A-Za-z]+:[A-Za-z]"), run.ToString());
            Assert.That(run.Out + run.Err, Does.Not.Contain("   at "), "no stack trace");
        });
    }

    private sealed record Run(int Code, string Out, string Err)
    {
        public override string ToString() => $"exit {Code}\n--- stdout\n{Out}\n--- stderr\n{Err}";
    }

    private static async Task<Run> RunAsync(App app, Dictionary<string, string> settings)
    {
        using var process = Start(app, settings);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{app} did not exit within 90 s: it started despite the bad setting\n{await stdout}\n{await stderr}");
        }

        return new Run(process.ExitCode, await stdout, await stderr);
    }

    private static Process Start(App app, Dictionary<string, string> settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, app == App.Api ? "OpsDesk.Api.dll" : "opsdesk.dll"));
        var env = start.Environment;
        env["ASPNETCORE_ENVIRONMENT"] = "Production";
        env["DOTNET_ENVIRONMENT"] = "Production";
        env["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Ports.Free()}";
        env["ConnectionStrings__OpsDesk"] = TestDatabase.ConnectionString;
        env["Database__MigrateOnStart"] = "false";
        env["Temporal__Address"] = $"127.0.0.1:{Ports.Free()}";
        env["Kafka__BootstrapServers"] = "";
        env["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in settings)
            env[name] = value;
        var process = Process.Start(start)!;
        process.StandardInput.Close();
        return process;
    }
}
