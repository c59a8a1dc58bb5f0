using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpsDesk.Tests.Support;
using OpsDesk.Workflows.Triage;

namespace OpsDesk.Tests.Api;

public sealed class StartOnCreateTests
{
    [Test]
    public async Task Create_with_StartOnCreate_false_commits_the_ticket_and_its_event_without_asking_for_a_triage_start()
    {
        await using var factory = new ApiFactory(new() { ["Triage:StartOnCreate"] = "false" });
        using var client = factory.CreateClient();

        var ticket = await Tickets.CreateAsync(client);
        var id = ticket["id"]!.GetValue<long>();

        var events = await TestDatabase.ScalarAsync<long>(
            "SELECT count(*) FROM ticket_events WHERE ticket_id = @id AND type = 'ticket.created'", ("id", id));
        var stored = await TestDatabase.ScalarAsync<string>("SELECT triage_status FROM tickets WHERE id = @id", ("id", id));
        Assert.Multiple(() =>
        {
            Assert.That(factory.Services.GetRequiredService<TriageStartQueue>().Accepted, Is.Zero, "nothing queued for a start");
            Assert.That(factory.Triage.Starts, Is.Empty);
            Assert.That(events, Is.EqualTo(1));
            Assert.That(stored, Is.EqualTo("queued"));
        });
    }

    [Test]
    public async Task Create_with_StartOnCreate_true_asks_for_a_triage_start()
    {
        await using var factory = new ApiFactory(new() { ["Triage:StartOnCreate"] = "true" });
        using var client = factory.CreateClient();

        var ticket = await Tickets.CreateAsync(client, Tickets.Body(source: "chat"));
        var id = ticket["id"]!.GetValue<long>();

        Assert.That(await factory.Triage.WaitForStartAsync(id), Is.EqualTo((id, "chat")));
        Assert.That(factory.Triage.Starts, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_full_start_queue_answers_at_once_and_leaves_the_ticket_queued_for_the_reconciler()
    {
        var gate = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocking = new BlockingStarter(gate.Task);
        await using var factory = new ApiFactory(
            new() { ["Triage:StartQueueCapacity"] = "1", ["Triage:StartConcurrency"] = "1" },
            services: s =>
            {
                s.RemoveAll<ITriageStarter>();
                s.AddSingleton<ITriageStarter>(blocking);
            });
        using var client = factory.CreateClient();
        var queue = factory.Services.GetRequiredService<TriageStartQueue>();

        // One start in flight (blocked), one waiting in the queue, and the third finds it full.
        var first = (await Tickets.CreateAsync(client))["id"]!.GetValue<long>();
        await LiveTemporal.WaitForAsync(() => Task.FromResult(blocking.Calls == 1), TimeSpan.FromSeconds(10), "the first start to be in flight");
        await Tickets.CreateAsync(client);
        var third = await Tickets.CreateAsync(client);

        Assert.That(queue.Dropped, Is.EqualTo(1));
        using (var ready = await client.GetAsync("/health/ready"))
        {
            var check = System.Text.Json.Nodes.JsonNode.Parse(await ready.Content.ReadAsStringAsync())!["checks"]!["triage-start-queue"]!;
            Assert.That(check["description"]!.GetValue<string>(), Does.StartWith("1 waiting, 1 left to the reconciler"));
        }

        Assert.That(await TestDatabase.ScalarAsync<string>("SELECT triage_status FROM tickets WHERE id = @id", ("id", third["id"]!.GetValue<long>())), Is.EqualTo("queued"));
        gate.SetResult(true);
        await LiveTemporal.WaitForAsync(() => Task.FromResult(blocking.Calls == 2), TimeSpan.FromSeconds(10), "the queued start to go out");
        Assert.That(blocking.Calls, Is.EqualTo(2), $"ticket {first} and the queued one; the dropped one is the reconciler's");
    }

    private sealed class BlockingStarter(Task<bool> gate) : ITriageStarter
    {
        private int calls;

        public int Calls => Volatile.Read(ref calls);

        public Task<bool> TryStartAsync(long ticketId, string source, CancellationToken ct)
        {
            Interlocked.Increment(ref calls);
            return gate.WaitAsync(ct);
        }
    }

    [Test]
    public async Task An_invalid_StartOnCreate_value_stops_start_up_with_a_message_naming_the_setting()
    {
        await using var factory = new ApiFactory(new() { ["Triage:StartOnCreate"] = "sometimes" });

        var error = Assert.Catch(() => factory.CreateClient());

        Assert.That(error!.ToString(), Does.Contain("Triage:StartOnCreate"));
    }
}
