namespace OpsDesk.Tests.Support;

/// <summary>
/// Base of a Chromium fixture: one API on Kestrel (<see cref="CreateFactory"/>) and one browser for all of
/// the fixture's tests, stopped after the last one. Skipped, with the reason, when no Chromium is installed.
/// </summary>
public abstract class BrowserFixture
{
    protected ApiFactory Factory { get; private set; } = null!;

    protected BrowserSession Session { get; private set; } = null!;

    /// <summary>The API the pages talk to; override for settings or services.</summary>
    protected virtual ApiFactory CreateFactory() => new();

    [OneTimeSetUp]
    public async Task StartBrowserAsync()
    {
        Factory = CreateFactory();
        Session = await BrowserSession.StartAsync(Factory);
    }

    [OneTimeTearDown]
    public async Task StopBrowserAsync()
    {
        if (Session is not null)
            await Session.DisposeAsync();
        if (Factory is not null)
            await Factory.DisposeAsync();
    }
}
