using Temporalio.Client;
using Temporalio.Testing;

namespace OpsDesk.Tests.Workflows.Sla;

/// <summary>
/// The Temporal server a live test runs against, chosen by environment variable:
/// OPSDESK_TEST_TEMPORAL_TEST_SERVER (path to the time-skipping test server),
/// OPSDESK_TEST_TEMPORAL_CLI (path to the temporal CLI: a local dev server) or
/// OPSDESK_TEST_TEMPORAL_ADDRESS (host:port of a running server). Without any, the test is ignored.
/// </summary>
public static class LiveTemporal
{
    public const string TestServerVariable = "OPSDESK_TEST_TEMPORAL_TEST_SERVER";
    public const string CliVariable = "OPSDESK_TEST_TEMPORAL_CLI";
    public const string AddressVariable = "OPSDESK_TEST_TEMPORAL_ADDRESS";

    public static bool IsConfigured =>
        new[] { TestServerVariable, CliVariable, AddressVariable }.Any(v => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(v)));

    public static void IgnoreUnlessConfigured()
    {
        if (!IsConfigured)
            Assert.Ignore($"Needs a live Temporal server: set {TestServerVariable}, {CliVariable} or {AddressVariable}.");
    }

    /// <summary>Starts (or connects to) the configured server. Time skips only with the test server.</summary>
    public static async Task<(WorkflowEnvironment Env, bool SkipsTime)> StartAsync()
    {
        IgnoreUnlessConfigured();
        if (Environment.GetEnvironmentVariable(TestServerVariable) is { Length: > 0 } testServer)
            return (await WorkflowEnvironment.StartTimeSkippingAsync(new() { TestServer = new() { ExistingPath = testServer } }), true);
        if (Environment.GetEnvironmentVariable(CliVariable) is { Length: > 0 } cli)
            return (await WorkflowEnvironment.StartLocalAsync(new() { DevServerOptions = new() { ExistingPath = cli } }), false);
        var address = Environment.GetEnvironmentVariable(AddressVariable)!;
        return (new WorkflowEnvironment(await TemporalClient.ConnectAsync(new(address) { Namespace = "default" })), false);
    }
}
