using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpsDesk.Db.Auth;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Api.Security;

public sealed class LogHygieneTests
{
    [Test]
    public async Task A_full_request_cycle_logs_no_key_token_ticket_body_or_email()
    {
        var recorder = new RecordingLoggerProvider();
        var bootstrapKey = "bootstrap-" + Guid.NewGuid().ToString("N");
        await using var factory = new ApiFactory(
            new() { ["Auth:BootstrapAdminKey"] = bootstrapKey },
            services: s => s.AddLogging(b => b
                .AddProvider(recorder)
                .SetMinimumLevel(LogLevel.Trace)
                .AddFilter<RecordingLoggerProvider>(null, LogLevel.Trace)));
        var subject = "subj-" + Guid.NewGuid().ToString("N");
        var description = "desc-" + Guid.NewGuid().ToString("N");
        var email = $"mail-{Guid.NewGuid():N}@example.com";

        // Admin key create with the bootstrap key; ticket create with the new key; read with the token; list; a refused key.
        using var admin = factory.CreateClientWithKey(bootstrapKey);
        using var keyResponse = await admin.PostAsJsonAsync("/api/admin/keys", new { name = "log-test-" + Guid.NewGuid().ToString("N"), role = "requester" });
        Assert.That(keyResponse.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var requesterKey = (await Tickets.ReadAsync(keyResponse))["key"]!.GetValue<string>();
        using var requester = factory.CreateClientWithKey(requesterKey);
        var created = await Tickets.CreateAsync(requester, Tickets.Body(subject: subject, description: description, email: email));
        var id = created["id"]!.GetValue<long>();
        var token = created["accessToken"]!.GetValue<string>();
        using var anonymous = factory.CreateAnonymousClient();
        using var read = new HttpRequestMessage(HttpMethod.Get, $"/api/tickets/{id}");
        read.Headers.Add("X-Ticket-Token", token);
        using var readResponse = await anonymous.SendAsync(read);
        using var list = await requester.GetAsync("/api/tickets");
        using var ownRead = await requester.GetAsync($"/api/tickets/{id}");
        var (_, forged) = Secrets.NewKey();
        using var refused = await factory.CreateClientWithKey(forged).GetAsync("/api/tickets");

        Assert.That(readResponse.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(ownRead.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var logs = recorder.AllText;
        Assert.That(recorder.Lines, Has.Count.GreaterThan(20), "the recorder saw the request cycle");
        Assert.That(logs, Does.Contain($"/api/tickets/{id}"), "the recorder saw the requests themselves");
        Assert.Multiple(() =>
        {
            foreach (var (what, secret) in new[]
                     {
                         ("bootstrap key", bootstrapKey), ("requester key", requesterKey), ("refused key", forged), ("access token", token),
                         ("subject", subject), ("description", description), ("email", email),
                     })
            {
                Assert.That(logs, Does.Not.Contain(secret), $"the {what} was logged");
            }
        });
    }

    [Test]
    public async Task With_the_shipped_log_levels_a_token_in_the_query_string_is_not_logged()
    {
        // ASP.NET's own "Request starting" line (Microsoft.AspNetCore.Hosting, Information) carries the query
        // string; appsettings keep Microsoft.AspNetCore at Warning, which this test relies on and guards.
        var recorder = new RecordingLoggerProvider();
        await using var factory = new ApiFactory(services: s => s.AddLogging(b => b.AddProvider(recorder)));
        using var anonymous = factory.CreateAnonymousClient();
        var created = await Tickets.CreateAsync(factory.CreateClient());
        var token = created["accessToken"]!.GetValue<string>();

        using var read = await anonymous.GetAsync($"/api/tickets/{created["id"]}?token={token}");

        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(recorder.AllText, Does.Not.Contain(token));
    }
}
