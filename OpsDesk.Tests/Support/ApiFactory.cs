using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpsDesk.Db.Auth;
using OpsDesk.Workflows.Triage;

namespace OpsDesk.Tests.Support;

/// <summary>
/// The real API pipeline over the test database, with Temporal replaced by a recorder — unless a
/// client is given (live tests: the real starter uses it) or <paramref name="realStarter"/> is set.
/// Clients from <see cref="WebApplicationFactory{TEntryPoint}.CreateClient()"/> carry an agent key; use
/// <see cref="CreateAnonymousClient"/> or <see cref="CreateClientWithKey"/> for other callers.
/// </summary>
public sealed class ApiFactory(
    Dictionary<string, string?>? settings = null,
    string environment = "Development",
    Action<IServiceCollection>? services = null,
    Temporalio.Client.ITemporalClient? temporal = null,
    bool realStarter = false) : WebApplicationFactory<Program>
{
    private static readonly Lazy<string> SharedAgentKey = new(() => ApiKeys.CreateAsync(ApiKeyRoles.Agent).GetAwaiter().GetResult().Key);

    public RecordingTriageStarter Triage { get; } = new();

    /// <summary>The agent key default clients send.</summary>
    public static string AgentKey => SharedAgentKey.Value;

    public HttpClient CreateAnonymousClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = null;
        return client;
    }

    public HttpClient CreateClientWithKey(string key)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AgentKey);
    }

    /// <summary>Serves the API on Kestrel at a free 127.0.0.1 port (for clients outside the process: a browser, the load generator); its base address.</summary>
    public Uri StartOnKestrel()
    {
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }

    /// <summary>README's recommended additions to the API's connection string.</summary>
    public const string ApiConnectionExtras = "No Reset On Close=true;Maximum Pool Size=4";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        // The API runs with the connection settings README and the deploy notes recommend for it (a small pool, no
        // reset on return; not multiplexing: see MultiplexingTests).
        builder.UseSetting("ConnectionStrings:OpsDesk", TestDatabase.ConnectionString + ";" + ApiConnectionExtras);
        builder.UseSetting("Database:MigrateOnStart", "false");
        // Tests create hundreds of tickets a minute with one key; rate-limit tests set their own limits.
        builder.UseSetting("RateLimits:PerClientPermitLimit", "1000000");
        foreach (var (key, value) in settings ?? [])
            builder.UseSetting(key, value);
        builder.ConfigureServices(s =>
        {
            if (temporal is not null)
            {
                // Live tests: the real starter, talking to the test's Temporal server.
                LiveWorker.OverrideClient(s, temporal);
            }
            else if (!realStarter)
            {
                s.RemoveAll<ITriageStarter>();
                s.AddSingleton<ITriageStarter>(Triage);
            }

            services?.Invoke(s);
        });
    }
}
