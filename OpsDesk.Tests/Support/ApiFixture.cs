namespace OpsDesk.Tests.Support;

/// <summary>Base of API test fixtures: one API (over the test database) and one agent client per fixture.</summary>
public abstract class ApiFixture
{
    protected ApiFactory Factory { get; private set; } = null!;

    protected HttpClient Api { get; private set; } = null!;

    [OneTimeSetUp]
    public void StartApi()
    {
        Factory = new ApiFactory();
        Api = Factory.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopApi()
    {
        Api.Dispose();
        await Factory.DisposeAsync();
    }
}
