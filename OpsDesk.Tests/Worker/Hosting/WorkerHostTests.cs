using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpsDesk.Tests.Support;
using OpsDesk.Worker.Hosting;

namespace OpsDesk.Tests.Worker.Hosting;

public sealed class WorkerHostTests
{
    [Test]
    public async Task Worker_keeps_running_and_retrying_when_temporal_is_down_at_start()
    {
        var logs = new RecordingLoggerProvider();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:OpsDesk"] = TestDatabase.ConnectionString,
            ["Database:MigrateOnStart"] = "false",
            ["Temporal:Address"] = $"127.0.0.1:{Ports.Free()}",
            ["Triage:ReconcileEverySeconds"] = "3600",
            ["Kafka:BootstrapServers"] = "",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Information);
        WorkerHost.Configure(builder);
        await using var app = builder.Build();
        WorkerHost.Map(app);

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        await WaitUntil(() => logs.Lines.Count(m => m.Contains("Temporal worker attempt", StringComparison.Ordinal)) >= 2, TimeSpan.FromSeconds(15));

        using var http = new HttpClient { BaseAddress = new Uri(address) };
        using var live = await http.GetAsync("/health/live");
        var ready = await http.GetStringAsync("/health/ready");
        Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the host is still up");
        Assert.That(ready, Does.Contain("Temporal unreachable"));
        var attempts = logs.Lines.Where(m => m.Contains("Temporal worker attempt", StringComparison.Ordinal)).ToList();
        Assert.That(attempts[0], Does.Contain("attempt 1"));
        Assert.That(attempts[1], Does.Contain("attempt 2"));
        await app.StopAsync();
    }

    private static async Task WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail("condition not met in time");
            await Task.Delay(100);
        }
    }
}
