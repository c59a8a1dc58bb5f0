namespace OpsDesk.Tests.Support;

/// <summary>Base of fixtures that need the API with JWT on: one API per fixture, trusting <see cref="LocalJwtIssuer"/>.</summary>
public abstract class JwtApiFixture
{
    protected ApiFactory Factory { get; private set; } = null!;

    [OneTimeSetUp]
    public void StartJwtApi() => Factory = LocalJwtIssuer.Api();

    [OneTimeTearDown]
    public async Task StopJwtApi() => await Factory.DisposeAsync();
}
