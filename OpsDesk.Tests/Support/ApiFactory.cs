using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpsDesk.Workflows.Triage;

namespace OpsDesk.Tests.Support;

/// <summary>
/// The real API pipeline over the test database. Temporal is replaced by a recorder, unless a client
/// is given (live tests), in which case the real starter uses it.
/// </summary>
public sealed class ApiFactory(Dictionary<string, string?>? settings = null, Temporalio.Client.ITemporalClient? temporal = null, bool realStarter = false) : WebApplicationFactory<Program>
{
    public RecordingTriageStarter Triage { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:OpsDesk", TestDatabase.ConnectionString);
        builder.UseSetting("Database:MigrateOnStart", "false");
        foreach (var (key, value) in settings ?? [])
            builder.UseSetting(key, value);
        builder.ConfigureServices(services =>
        {
            if (temporal is not null)
            {
                // Live tests: the real starter, talking to the test's Temporal server.
                LiveWorker.OverrideClient(services, temporal);
                return;
            }

            if (realStarter)
                return;

            services.RemoveAll<ITriageStarter>();
            services.AddSingleton<ITriageStarter>(Triage);
        });
    }
}
