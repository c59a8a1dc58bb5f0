using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpsDesk.Workflows.Triage;

namespace OpsDesk.Tests.Support;

/// <summary>The real API pipeline over the test database, with Temporal replaced by a recorder.</summary>
public sealed class ApiFactory(Dictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
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
            services.RemoveAll<ITriageStarter>();
            services.AddSingleton<ITriageStarter>(Triage);
        });
    }
}
