using Temporalio.Testing;

namespace OpsDesk.Tests.Support;

/// <summary>
/// Base of the live <c>[Category("Temporal")]</c> fixtures: one Temporal server from
/// <see cref="LiveTemporal"/> for the fixture (skipped, with the reason, when none is configured),
/// shut down after its last test.
/// </summary>
public abstract class LiveTemporalFixture
{
    protected WorkflowEnvironment Env { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartTemporalAsync() => Env = await LiveTemporal.StartAsync();

    [OneTimeTearDown]
    public async Task StopTemporalAsync()
    {
        if (Env is not null)
            await Env.ShutdownAsync();
    }
}
