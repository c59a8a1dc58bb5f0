using OpsDesk.Tests.Support;

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

        Assert.That(factory.Triage.Starts, Is.EqualTo(new[] { (ticket["id"]!.GetValue<long>(), "chat") }));
    }

    [Test]
    public async Task An_invalid_StartOnCreate_value_stops_start_up_with_a_message_naming_the_setting()
    {
        await using var factory = new ApiFactory(new() { ["Triage:StartOnCreate"] = "sometimes" });

        var error = Assert.Catch(() => factory.CreateClient());

        Assert.That(error!.ToString(), Does.Contain("Triage:StartOnCreate"));
    }
}
