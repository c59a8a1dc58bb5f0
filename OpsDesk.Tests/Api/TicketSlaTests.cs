using System.Text.Json.Nodes;
using OpsDesk.Db.Sla;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Api;

/// <summary>Both SLA targets, as the SLA workflow's activity writes them, in the ticket detail and the list.</summary>
public sealed class TicketSlaTests : ApiFixture
{
    private static readonly DateTime Due = new(2026, 4, 1, 10, 15, 0, DateTimeKind.Utc);

    private async Task<long> TicketWithTwoTargetsAsync(string subject)
    {
        var id = (await Tickets.CreateAsync(Api, Tickets.Body(subject)))["id"]!.GetValue<long>();
        var first = new SlaTargetColumns(Due, Due.AddMinutes(-3), SlaStates.Breached);
        var resolution = new SlaTargetColumns(Due.AddHours(4), Due.AddHours(3), SlaStates.Paused);
        await new SlaRepository(TestDatabase.DataSource).SaveStateAsync(id, new SlaColumns(first, first, resolution));
        return id;
    }

    private static void AssertBothTargets(JsonNode sla)
    {
        Assert.Multiple(() =>
        {
            Assert.That(sla["state"]!.GetValue<string>(), Is.EqualTo("breached"), "the worst over both targets");
            Assert.That(sla["dueAt"]!.GetValue<DateTimeOffset>(), Is.EqualTo(new DateTimeOffset(Due)));
            Assert.That(sla["firstResponse"]!["state"]!.GetValue<string>(), Is.EqualTo("breached"));
            Assert.That(sla["firstResponse"]!["dueAt"]!.GetValue<DateTimeOffset>(), Is.EqualTo(new DateTimeOffset(Due)));
            Assert.That(sla["firstResponse"]!["warningAt"]!.GetValue<DateTimeOffset>(), Is.EqualTo(new DateTimeOffset(Due.AddMinutes(-3))));
            Assert.That(sla["resolution"]!["state"]!.GetValue<string>(), Is.EqualTo("paused"));
            Assert.That(sla["resolution"]!["dueAt"]!.GetValue<DateTimeOffset>(), Is.EqualTo(new DateTimeOffset(Due.AddHours(4))));
        });
    }

    [Test]
    public async Task The_detail_shows_both_targets_due_time_and_state()
    {
        var id = await TicketWithTwoTargetsAsync("Two targets " + Guid.NewGuid().ToString("N")[..8]);

        using var response = await Api.GetAsync($"/api/tickets/{id}");

        AssertBothTargets((await Tickets.ReadAsync(response))["sla"]!);
    }

    [Test]
    public async Task A_list_item_shows_both_targets_due_time_and_state()
    {
        var token = "slalist" + Guid.NewGuid().ToString("N")[..10];
        var id = await TicketWithTwoTargetsAsync("Queue " + token);

        using var response = await Api.GetAsync($"/api/tickets?q={token}");

        var item = (await Tickets.ReadAsync(response))["items"]!.AsArray().Single(i => i!["id"]!.GetValue<long>() == id)!;
        AssertBothTargets(item["sla"]!);
    }

    [Test]
    public async Task A_single_target_clock_shows_its_target_as_the_resolution_and_no_first_response()
    {
        var id = (await Tickets.CreateAsync(Api))["id"]!.GetValue<long>();
        await new SlaRepository(TestDatabase.DataSource).SaveStateAsync(id, SlaColumns.SingleTarget(new SlaTargetColumns(Due, Due.AddMinutes(-3), SlaStates.Warned)));

        using var response = await Api.GetAsync($"/api/tickets/{id}");

        var sla = (await Tickets.ReadAsync(response))["sla"]!;
        Assert.Multiple(() =>
        {
            Assert.That(sla["state"]!.GetValue<string>(), Is.EqualTo("warned"));
            Assert.That(sla["firstResponse"], Is.Null);
            Assert.That(sla["resolution"]!["state"]!.GetValue<string>(), Is.EqualTo("warned"));
            Assert.That(sla["resolution"]!["dueAt"]!.GetValue<DateTimeOffset>(), Is.EqualTo(new DateTimeOffset(Due)));
        });
    }
}
