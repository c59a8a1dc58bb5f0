using OpsDesk.Workflows.Temporal;
using Temporalio.Client;
using Temporalio.Testing;

namespace OpsDesk.Tests.Support;

/// <summary>
/// The Temporal server for live tests (<c>[Category("Temporal")]</c>): a time-skipping test server,
/// a dev server from the <c>temporal</c> CLI, or an existing server — whichever the environment names.
/// Without one the calling test is reported as skipped, never as passed.
/// </summary>
public static class LiveTemporal
{
    public const string TestServerVariable = "OPSDESK_TEST_TEMPORAL_TEST_SERVER";
    public const string CliVariable = "OPSDESK_TEST_TEMPORAL_CLI";
    public const string AddressVariable = "OPSDESK_TEST_TEMPORAL_ADDRESS";

    /// <summary>The value of <see cref="TestServerVariable"/> that lets the SDK download the test server.</summary>
    public const string DownloadTestServer = "download";

    /// <summary>The test server's <c>run</c> script when one is on this machine (not "download"), else null.</summary>
    public static string? TestServerPath =>
        Environment.GetEnvironmentVariable(TestServerVariable) is { Length: > 0 } path && path != DownloadTestServer ? path : null;

    /// <summary>True when the live server skips time (the test server), so SLA minutes cost nothing.</summary>
    public static bool SkipsTime => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(TestServerVariable));

    public static async Task<WorkflowEnvironment> StartAsync()
    {
        var testServer = Environment.GetEnvironmentVariable(TestServerVariable);
        var cli = Environment.GetEnvironmentVariable(CliVariable);
        var address = Environment.GetEnvironmentVariable(AddressVariable);

        WorkflowEnvironment env;
        if (!string.IsNullOrWhiteSpace(testServer))
        {
            // "download": the SDK fetches Temporal's official test server (a machine with internet).
            // The test server registers nothing by itself; the worker's own routine does it.
            env = (await StartOwnTestServerAsync(registerSearchAttributes: true))!;
        }
        else if (!string.IsNullOrWhiteSpace(cli))
        {
            env = await WorkflowEnvironment.StartLocalAsync(new()
            {
                DevServerOptions = new() { ExistingPath = cli },
                SearchAttributes = OpsDeskSearchAttributes.All,
            });
        }
        else if (!string.IsNullOrWhiteSpace(address))
        {
            var ns = Environment.GetEnvironmentVariable("OPSDESK_TEST_TEMPORAL_NAMESPACE") ?? "default";
            var client = await TemporalClient.ConnectAsync(new(address) { Namespace = ns });
            await SearchAttributeRegistration.EnsureAsync(client, ns, CancellationToken.None);
            env = new WorkflowEnvironment(client);
        }
        else
        {
            Assert.Ignore($"Live Temporal test skipped: set {TestServerVariable} (time-skipping test server path), " +
                          $"{CliVariable} (temporal CLI path) or {AddressVariable} (host:port of a server).");
            throw new InvalidOperationException("unreachable");
        }

        return env;
    }

    /// <summary>
    /// A time-skipping test server for one test alone — for tests that kill workers and so leave
    /// workflows behind that would hold up the shared server's clock. Null when the live suite runs
    /// against a dev or remote server instead (use the fixture's).
    /// </summary>
    public static async Task<WorkflowEnvironment?> StartOwnTestServerAsync(bool registerSearchAttributes)
    {
        if (!SkipsTime)
            return null;
        var env = await StartTimeSkippingWithRetriesAsync();
        if (registerSearchAttributes)
            await SearchAttributeRegistration.EnsureAsync(env.Client, env.Client.Options.Namespace, CancellationToken.None);
        return env;
    }

    /// <summary>
    /// The SDK gives the test server 5 s to answer; on a loaded machine (several builds on two cores)
    /// its JVM can take longer, so a start that timed out is tried again before the test fails.
    /// </summary>
    private static async Task<WorkflowEnvironment> StartTimeSkippingWithRetriesAsync()
    {
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await WorkflowEnvironment.StartTimeSkippingAsync(
                    TestServerPath is { } path ? new() { TestServer = new() { ExistingPath = path } } : new());
            }
            catch (Exception ex) when (attempt < attempts)
            {
                await TestContext.Progress.WriteLineAsync(
                    $"Temporal test server did not start (attempt {attempt} of {attempts}): {ex.Message}");
            }
        }
    }

    /// <summary>
    /// The API starts a ticket's triage just after it answers: waits until <paramref name="workflowId"/>
    /// exists on the server, then returns its handle.
    /// </summary>
    public static async Task<WorkflowHandle> StartedAsync(ITemporalClient client, string workflowId)
    {
        var handle = client.GetWorkflowHandle(workflowId);
        await WaitForAsync(async () =>
        {
            try
            {
                await handle.DescribeAsync();
                return true;
            }
            catch (Temporalio.Exceptions.RpcException ex) when (ex.Code == Temporalio.Exceptions.RpcException.StatusCode.NotFound)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), $"{workflowId} to be started");
        return handle;
    }

    /// <summary>Polls until the condition holds; fails the test with <paramref name="what"/> after the timeout.</summary>
    public static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"timed out after {timeout.TotalSeconds:0} s waiting for {what}");
            await Task.Delay(200);
        }
    }
}
