using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using OpsDesk.Db.Tickets;
using OpsDesk.Db.Triage;
using OpsDesk.Tests.Support;
using OpsDesk.Worker.Triage;
using OpsDesk.Workflows.Triage;

namespace OpsDesk.Tests.Worker.Triage;

public sealed class TriageReconcilerTests
{
    private NpgsqlDataSource db = null!;

    [OneTimeSetUp]
    public async Task CreateDatabase() => db = NpgsqlDataSource.Create(await TestDatabase.CreateIsolatedDatabaseAsync());

    [OneTimeTearDown]
    public async Task DropDatabase() => await db.DisposeAsync();

    private async Task<long> TicketAsync(string triageStatus, TimeSpan age)
    {
        var ticket = await new TicketRepository(db).InsertAsync(new NewTicket("s", "d", "chat", null, null, null));
        await using var cmd = db.CreateCommand("UPDATE tickets SET triage_status = @s, created_at = now() - @age WHERE id = @id");
        cmd.Parameters.AddWithValue("s", triageStatus);
        cmd.Parameters.AddWithValue("age", age);
        cmd.Parameters.AddWithValue("id", ticket.Ticket.Id);
        await cmd.ExecuteNonQueryAsync();
        return ticket.Ticket.Id;
    }

    private TriageReconciler Reconciler(RecordingTriageStarter starter) => new(
        new TriageRepository(db), starter, Options.Create(new TriageOptions { ReconcileAfterSeconds = 15 }), NullLogger<TriageReconciler>.Instance);

    [Test]
    public async Task Queued_tickets_older_than_15_seconds_get_their_triage_started_and_others_do_not()
    {
        var stale = await TicketAsync("queued", TimeSpan.FromMinutes(2));
        var fresh = await TicketAsync("queued", TimeSpan.Zero);
        var running = await TicketAsync("running", TimeSpan.FromMinutes(2));
        var failed = await TicketAsync("failed", TimeSpan.FromMinutes(2));
        var starter = new RecordingTriageStarter();

        var (started, notStarted) = await Reconciler(starter).ReconcileOnceAsync(CancellationToken.None);

        var ids = starter.Starts.Select(s => s.TicketId).ToList();
        Assert.That(ids, Does.Contain(stale));
        Assert.That(ids, Does.Not.Contain(fresh).And.Not.Contain(running).And.Not.Contain(failed));
        Assert.That(starter.Starts.First(s => s.TicketId == stale).Source, Is.EqualTo("chat"));
        Assert.That(started, Is.EqualTo(ids.Count));
        Assert.That(notStarted, Is.Zero);
    }

    [Test]
    public async Task When_temporal_is_down_a_pass_stops_at_the_first_failure_and_leaves_tickets_queued()
    {
        var stale = await TicketAsync("queued", TimeSpan.FromMinutes(5));
        var starter = new RecordingTriageStarter { Succeed = false };

        var (started, notStarted) = await Reconciler(starter).ReconcileOnceAsync(CancellationToken.None);

        Assert.That(started, Is.Zero);
        Assert.That(notStarted, Is.EqualTo(1));
        Assert.That(starter.Starts, Has.Count.EqualTo(1));
        await using var cmd = db.CreateCommand($"SELECT triage_status FROM tickets WHERE id = {stale}");
        Assert.That(await cmd.ExecuteScalarAsync(), Is.EqualTo("queued"));
    }
}
