using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpsDesk.Tests.Support;
using OpsDesk.Worker.Hosting;
using OpsDesk.Worker.Outbox;

namespace OpsDesk.Tests.Worker.Outbox;

public sealed class OutboxRelayOffTests
{
    [Test]
    public async Task Relay_stays_off_and_says_so_once_when_bootstrap_servers_is_unset()
    {
        await using var db = await OutboxTestDb.CreateAsync();
        await db.NewTicketAsync();
        await using var relay = new RelayRunner(db, RelayRunner.TestOptions(bootstrapServers: null, RelayRunner.NewPrefix()));

        await relay.StartAsync();
        await relay.Relay.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(relay.Status.Role, Is.EqualTo(RelayRole.Off));
        Assert.That(relay.Logger.Count(1), Is.EqualTo(1));
        Assert.That(relay.Logger.Entries, Has.Count.EqualTo(1), "nothing else is logged");
        Assert.That(await db.UnpublishedAsync(), Is.EqualTo(1), "the event stays in the database");
        var health = await relay.CheckHealthAsync();
        Assert.That(health.Status, Is.EqualTo(HealthStatus.Healthy));
        Assert.That(health.Description, Does.Contain("relay off"));
    }

    [Test]
    public async Task Worker_host_without_Kafka_starts_and_reports_ready_with_the_relay_off()
    {
        await using var db = await OutboxTestDb.CreateAsync();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:OpsDesk"] = db.ConnectionString,
            ["Database:MigrateOnStart"] = "false",
            ["Kafka:BootstrapServers"] = "",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        WorkerHost.Configure(builder);
        await using var app = builder.Build();
        WorkerHost.Map(app);
        await app.StartAsync();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient { BaseAddress = new Uri(address) };

            using var response = await http.GetAsync("/health/ready");

            Assert.That((int)response.StatusCode, Is.EqualTo(200));
            var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.That((string?)body["checks"]![OutboxHealthCheck.Name]!["status"], Is.EqualTo("Healthy"));
            Assert.That((string?)body["checks"]![OutboxHealthCheck.Name]!["description"], Does.Contain("relay off"));
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
