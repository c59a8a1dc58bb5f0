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

    public static async Task<WorkflowEnvironment> StartAsync()
    {
        var testServer = Environment.GetEnvironmentVariable(TestServerVariable);
        var cli = Environment.GetEnvironmentVariable(CliVariable);
        var address = Environment.GetEnvironmentVariable(AddressVariable);

        WorkflowEnvironment env;
        if (!string.IsNullOrWhiteSpace(testServer))
        {
            env = await WorkflowEnvironment.StartTimeSkippingAsync(new() { TestServer = new() { ExistingPath = testServer } });
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
            await OpsDesk.Worker.Hosting.TemporalWorkerRunner.EnsureSearchAttributesAsync(client, ns, CancellationToken.None);
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
