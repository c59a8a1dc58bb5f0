namespace OpsDesk.Tests;

/// <summary>
/// Runs once for the whole assembly (it sits in the root namespace, so NUnit applies it to every
/// test): starts the test PostgreSQL before any fixture and stops it after the last.
/// </summary>
[SetUpFixture]
public sealed class GlobalSetup
{
    [OneTimeSetUp]
    public Task StartAsync() => Support.TestDatabase.StartAsync();

    [OneTimeTearDown]
    public Task StopAsync() => Support.TestDatabase.StopAsync();
}
