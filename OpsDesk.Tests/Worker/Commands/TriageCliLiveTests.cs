using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpsDesk.Tests.Support;
using OpsDesk.Worker.Commands;
using OpsDesk.Workflows;
using Temporalio.Client;
using Temporalio.Testing;

namespace OpsDesk.Tests.Worker.Commands;

/// <summary>
/// The ops path end to end against a real Temporal server: a triage fails because the provider
/// answers 401, <c>triage failed</c> lists it, the provider is fixed, <c>triage retry</c> gets the
/// ticket classified, and a second retry is skipped.
/// </summary>
[Category("Temporal")]
public sealed class TriageCliLiveTests : LiveTemporalFixture
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private const string UnauthorizedBody = """{"error":{"message":"Incorrect API key provided: x.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""";

    /// <summary>The structured classification a fixed provider answers.</summary>
    private const string ClassificationJson = """{"summary":"Card charged but the order shows failed","category":"payments","priority":"P1","entities":[{"type":"order_id","value":"ORD-88231"}],"confidence":0.91,"language":"en","sentiment":"negative"}""";


    [Test]
    public async Task A_triage_failed_by_a_401_is_listed_retried_after_the_fix_and_not_retried_twice()
    {
        var queue = "live-cli-" + Guid.NewGuid().ToString("N")[..8];
        await using var provider = await FakeChatCompletionsServer.StartAsync();
        provider.WhenScriptIsEmpty = new ScriptedResponse(401, UnauthorizedBody);
        var settings = LiveWorker.Settings(queue,
            ("Triage:Provider", "openai"), ("OpenAI:ApiKey", "x"), ("OpenAI:Endpoint", provider.OpenAIEndpoint));
        await using var worker = await LiveWorker.StartAsync(Env.Client, settings);
        await using var api = new ApiFactory(settings, temporal: Env.Client);
        using var http = api.CreateClient();

        var id = (await Tickets.CreateAsync(http))["id"]!.GetValue<long>();
        await LiveTemporal.WaitForAsync(
            async () => await TestDatabase.ScalarAsync<string>("SELECT triage_status FROM tickets WHERE id = @id", ("id", id)) == "failed",
            Patience, $"the triage of ticket {id} to fail on the 401");
        Assert.That(provider.Requests, Is.Not.Empty, "the worker asked the fake provider");

        // With visibility (eventually consistent) the run is listed from it; Temporal's test server has
        // none, and the command says so once and lists from the database.
        var hasVisibility = await HasVisibilityAsync();
        var expectedSource = hasVisibility ? "visibility" : "database";
        CliRun.Result? listed = null;
        await LiveTemporal.WaitForAsync(async () =>
        {
            listed = await RunAsync(settings, "triage", "failed", "--since", "1h", "--limit", "1000", "--output", "json");
            return listed.ExitCode == Cli.Ok && listed.Json["source"]!.GetValue<string>() == expectedSource
                && listed.Json["items"]!.AsArray().Any(i => i!["ticketId"]!.GetValue<long>() == id);
        }, Patience, $"`triage failed` to list ticket {id} from {expectedSource}");
        if (!hasVisibility)
        {
            var notices = listed!.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(notices, Has.Length.EqualTo(1), listed.ToString());
            Assert.That(notices[0], Does.StartWith("note: this Temporal server has no visibility"));
        }

        var item = listed!.Json["items"]!.AsArray().Single(i => i!["ticketId"]!.GetValue<long>() == id)!;
        Assert.That(item["reason"]!.GetValue<string>(), Is.EqualTo("unauthorized"));

        provider.AnswerWhenScriptIsEmpty(ClassificationJson);
        var retry = await RunAsync(settings, "triage", "retry", id.ToString(), "--output", "json");

        Assert.That(retry.ExitCode, Is.EqualTo(Cli.Ok), retry.ToString());
        Assert.That(retry.Json["items"]![0]!["outcome"]!.GetValue<string>(), Is.EqualTo("started"));
        await LiveTemporal.WaitForAsync(
            async () => await TestDatabase.ScalarAsync<string>("SELECT triage_status FROM tickets WHERE id = @id", ("id", id)) == "classified",
            Patience, $"ticket {id} to be classified after the retry");
        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM ticket_events WHERE ticket_id = @id AND type = 'ticket.triage_retried'", ("id", id)), Is.EqualTo(1));

        // Classified is written by the save activity; the run completes a moment later (it starts the SLA
        // clock first). A retry before that answers "running", so wait for the retried run to finish.
        await Env.Client.GetWorkflowHandle(WorkflowIds.Triage(id)).GetResultAsync();
        var again = await RunAsync(settings, "triage", "retry", id.ToString(), "--output", "json");

        Assert.That(again.ExitCode, Is.EqualTo(Cli.Ok), again.ToString());
        Assert.That(again.Json["items"]![0]!["reason"]!.GetValue<string>(), Is.EqualTo("already completed"));
        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM ticket_events WHERE ticket_id = @id AND type = 'ticket.triage_retried'", ("id", id)), Is.EqualTo(1));

        var show = await RunAsync(settings, "triage", "show", id.ToString(), "--output", "json");
        Assert.That(show.Json["workflow"]!["status"]!.GetValue<string>(), Is.EqualTo("completed"));
        Assert.That(show.Json["retries"]!.GetValue<int>(), Is.EqualTo(1));
    }

    [Test]
    public async Task Replay_of_a_live_triage_history_passes()
    {
        var queue = "live-cli-" + Guid.NewGuid().ToString("N")[..8];
        var settings = LiveWorker.Settings(queue);
        await using var worker = await LiveWorker.StartAsync(Env.Client, settings);
        await using var api = new ApiFactory(settings, temporal: Env.Client);
        using var http = api.CreateClient();
        var id = (await Tickets.CreateAsync(http))["id"]!.GetValue<long>();
        await (await LiveTemporal.StartedAsync(Env.Client, $"triage-{id}")).GetResultAsync().WaitAsync(Patience);

        var result = await RunAsync(settings, "triage", "replay", "--ticket", id.ToString(), "--output", "json");

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Ok), result.ToString());
        Assert.That(result.Json["passed"]!.GetValue<int>(), Is.EqualTo(1));
    }

    private async Task<bool> HasVisibilityAsync()
    {
        try
        {
            await foreach (var _ in Env.Client.ListWorkflowsAsync("WorkflowType='TriageWorkflow'", new() { Limit = 1 }))
                break;
            return true;
        }
        catch (Temporalio.Exceptions.RpcException ex) when (ex.Code == Temporalio.Exceptions.RpcException.StatusCode.Unimplemented)
        {
            return false;
        }
    }

    private async Task<CliRun.Result> RunAsync(Dictionary<string, string?> settings, params string[] args)
    {
        var services = new CliServices
        {
            ConnectTemporal = (_, _) => Task.FromResult<ITemporalClient>(Env.Client),
            Settings = settings,
            InputIsInteractive = false,
            OutputIsTerminal = false,
            UserName = CliRun.Operator,
        };
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await Cli.RunAsync([.. args, "--connection-string", TestDatabase.ConnectionString], stdout, stderr, services);
        return new CliRun.Result(code, stdout.ToString(), stderr.ToString());
    }
}
