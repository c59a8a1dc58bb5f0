using System.Net;
using OpsDesk.Db.Auth;
using OpsDesk.Db.Triage;
using OpsDesk.Tests.Support;
using OpsDesk.Workflows;

namespace OpsDesk.Tests.Web;

/// <summary>The console's retry button against a real Temporal server: the CLI's code path (describe, record, start).</summary>
[Category("Temporal")]
public sealed class ConsoleTriageRetryLiveTests : LiveTemporalFixture
{
    [Test]
    public async Task Retry_button_records_the_retry_and_starts_a_new_triage_run()
    {
        var queue = "console-retry-" + Guid.NewGuid().ToString("N")[..8];
        await using var api = new ApiFactory(LiveWorker.Settings(queue, ("Triage:StartOnCreate", "false")), temporal: Env.Client);
        using var http = api.CreateClient();
        var id = (await Tickets.CreateAsync(http, Tickets.Body("Triage failed, please retry")))["id"]!.GetValue<long>();
        await new TriageRepository(TestDatabase.DataSource).RecordFailureAsync(id, "run-old", "schema", "invalid reply", 3, CancellationToken.None);
        using var browser = WebForms.Browser(api);
        await WebForms.SignInAsync(browser, (await ApiKeys.CreateAsync(ApiKeyRoles.Agent)).Key);

        using var response = await WebForms.SubmitAsync(browser, "/console/triage-failed", "retry", ("Retry.TicketId", id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain($"Ticket {id}: started"));
        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM ticket_events WHERE ticket_id = @id AND type = 'ticket.triage_retried'", ("id", id)), Is.EqualTo(1));
        var description = await Env.Client.GetWorkflowHandle(WorkflowIds.Triage(id)).DescribeAsync();
        Assert.That(description.TaskQueue, Is.EqualTo(queue));
    }
}
