using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using OpsDesk.Db.Events;
using OpsDesk.Db.Sla;
using OpsDesk.Db.Tickets;
using OpsDesk.Tests.Support;
using OpsDesk.Worker.Sla;
using OpsDesk.Workflows.Sla;
using Mode = OpsDesk.Tests.Support.RecordingSlaSignaler.SignalMode;

namespace OpsDesk.Tests.Worker.Sla;

/// <summary>The dispatcher over a database of its own, so every change it sees is one these tests made.</summary>
[NonParallelizable]
public sealed class SlaChangeDispatcherTests
{
    private NpgsqlDataSource db = null!;

    [OneTimeSetUp]
    public async Task CreateDatabase() => db = NpgsqlDataSource.Create(await TestDatabase.CreateIsolatedDatabaseAsync());

    [OneTimeTearDown]
    public async Task DropDatabase() => await db.DisposeAsync();

    [SetUp]
    public async Task DeliverEverythingLeftOver()
    {
        // Each test starts with nothing undelivered.
        await Dispatcher(new RecordingSlaSignaler()).RunOnceAsync(CancellationToken.None);
    }

    private SlaChangeDispatcher Dispatcher(ISlaSignaler signaler, SlaOptions? options = null) =>
        new(new SlaChangeFeed(db), signaler, db, Options.Create(options ?? new SlaOptions()), NullLogger<SlaChangeDispatcher>.Instance);

    private async Task<long> NewTicketAsync()
    {
        var result = await new TicketRepository(db).InsertAsync(new NewTicket("Dispatch " + Guid.NewGuid(), "d", "api", null, null, null));
        return result.Ticket.Id;
    }

    private Task<TicketChangeResult> ChangeAsync(long id, string? status = null, string? priority = null) =>
        new TicketChangeRepository(db).ChangeAsync(id, new TicketChange(status, priority));

    private async Task<long> ProcessedCountAsync(long ticketId)
    {
        await using var cmd = db.CreateCommand("""
            SELECT count(*) FROM processed_events p JOIN ticket_events e ON e.id = p.event_id
            WHERE p.consumer = 'sla-dispatcher' AND e.ticket_id = @id
            """);
        cmd.Parameters.AddWithValue("id", ticketId);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    [Test]
    public async Task Changes_are_signalled_in_order_with_event_id_kind_and_value_then_recorded()
    {
        var id = await NewTicketAsync();
        await ChangeAsync(id, priority: "P1");
        await ChangeAsync(id, status: "pending");
        await ChangeAsync(id, status: "open");
        var signaler = new RecordingSlaSignaler();

        var round = await Dispatcher(signaler).RunOnceAsync(CancellationToken.None);

        var sent = signaler.Signals.ToList();
        Assert.Multiple(() =>
        {
            Assert.That(round.Delivered, Is.EqualTo(3));
            Assert.That(sent.Select(s => s.TicketId), Is.All.EqualTo(id));
            Assert.That(sent.Select(s => (s.Change.Kind, s.Change.Value)), Is.EqualTo(new[] { ("priority", "P1"), ("status", "pending"), ("status", "open") }));
            Assert.That(sent.Select(s => s.Change.EventId), Is.Ordered.Ascending);
        });
        Assert.That(await ProcessedCountAsync(id), Is.EqualTo(3));
    }

    private Task<long> CommentAsync(long id, CommentAuthorKind author, bool isPublic) => SlaTickets.CommentEventAsync(db, id, author, isPublic);

    [Test]
    public async Task Only_the_first_public_agent_comment_is_delivered_as_the_reply()
    {
        var id = await NewTicketAsync();
        await CommentAsync(id, CommentAuthorKind.Requester, isPublic: true);
        await CommentAsync(id, CommentAuthorKind.Agent, isPublic: false);
        var first = await CommentAsync(id, CommentAuthorKind.Agent, isPublic: true);
        await ChangeAsync(id, status: "pending");
        await CommentAsync(id, CommentAuthorKind.Agent, isPublic: true);
        var signaler = new RecordingSlaSignaler();

        var round = await Dispatcher(signaler).RunOnceAsync(CancellationToken.None);

        var sent = signaler.Signals.Select(s => s.Change).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(round.Delivered, Is.EqualTo(2));
            Assert.That(sent.Select(c => (c.Kind, c.Value)), Is.EqualTo(new[] { ("reply", "agent"), ("status", "pending") }));
            Assert.That(sent[0].EventId, Is.EqualTo(first));
        });
    }

    [Test]
    public async Task A_first_reply_not_delivered_while_temporal_is_down_is_delivered_later_once()
    {
        var id = await NewTicketAsync();
        var reply = await CommentAsync(id, CommentAuthorKind.Agent, isPublic: true);
        var signaler = new RecordingSlaSignaler { Mode = Mode.Unreachable };
        Assert.That((await Dispatcher(signaler).RunOnceAsync(CancellationToken.None)).Failed, Is.True);

        signaler.Mode = Mode.Deliver;
        await Dispatcher(signaler).RunOnceAsync(CancellationToken.None);
        await Dispatcher(signaler).RunOnceAsync(CancellationToken.None);

        Assert.That(signaler.Signals.Select(s => s.Change.EventId), Is.EqualTo(new[] { reply }));
    }

    [Test]
    public async Task A_second_round_sends_nothing_already_delivered()
    {
        var id = await NewTicketAsync();
        await ChangeAsync(id, status: "pending");
        await Dispatcher(new RecordingSlaSignaler()).RunOnceAsync(CancellationToken.None);
        var again = new RecordingSlaSignaler();

        var round = await Dispatcher(again).RunOnceAsync(CancellationToken.None);

        Assert.That(again.Signals, Is.Empty);
        Assert.That(round.Read, Is.Zero);
    }

    [Test]
    public async Task While_temporal_is_unreachable_nothing_is_recorded_and_the_next_round_delivers_everything_in_order()
    {
        var id = await NewTicketAsync();
        await ChangeAsync(id, status: "pending");
        await ChangeAsync(id, status: "resolved");
        var signaler = new RecordingSlaSignaler { Mode = Mode.Unreachable };

        var failed = await Dispatcher(signaler).RunOnceAsync(CancellationToken.None);

        Assert.That(failed.Failed, Is.True);
        Assert.That(await ProcessedCountAsync(id), Is.Zero);

        signaler.Mode = Mode.Deliver;
        var round = await Dispatcher(signaler).RunOnceAsync(CancellationToken.None);

        Assert.That(round.Failed, Is.False);
        Assert.That(signaler.Signals.Select(s => s.Change.Value), Is.EqualTo(new[] { "pending", "resolved" }));
        Assert.That(await ProcessedCountAsync(id), Is.EqualTo(2));
    }

    [Test]
    public async Task A_change_for_a_ticket_without_a_running_workflow_is_recorded_and_not_sent_again()
    {
        var id = await NewTicketAsync();
        await ChangeAsync(id, priority: "P0");
        var signaler = new RecordingSlaSignaler { Mode = Mode.NoWorkflow };

        var round = await Dispatcher(signaler).RunOnceAsync(CancellationToken.None);
        var next = await Dispatcher(signaler).RunOnceAsync(CancellationToken.None);

        Assert.That(round.NoWorkflow, Is.EqualTo(1));
        Assert.That(next.Read, Is.Zero);
        Assert.That(signaler.Signals, Has.Count.EqualTo(1));
        Assert.That(await ProcessedCountAsync(id), Is.EqualTo(1));
    }

    [Test]
    public async Task Only_status_and_priority_changes_are_dispatched()
    {
        var id = await NewTicketAsync();
        var signaler = new RecordingSlaSignaler();

        var round = await Dispatcher(signaler).RunOnceAsync(CancellationToken.None);

        Assert.That(round.Read, Is.Zero, "ticket.created is not a change");
        Assert.That(signaler.Signals, Is.Empty);
        Assert.That(await ProcessedCountAsync(id), Is.Zero);
    }

    [Test]
    public async Task A_round_reads_at_most_a_batch_and_the_next_round_continues()
    {
        var id = await NewTicketAsync();
        await ChangeAsync(id, status: "pending");
        await ChangeAsync(id, status: "open");
        await ChangeAsync(id, status: "pending");
        var signaler = new RecordingSlaSignaler();
        var dispatcher = Dispatcher(signaler, new SlaOptions { DispatchBatchSize = 2 });

        var first = await dispatcher.RunOnceAsync(CancellationToken.None);
        var second = await dispatcher.RunOnceAsync(CancellationToken.None);

        Assert.That((first.Read, second.Read), Is.EqualTo((2, 1)));
        Assert.That(signaler.Signals.Select(s => s.Change.Value), Is.EqualTo(new[] { "pending", "open", "pending" }));
    }

    [Test]
    public async Task The_running_service_is_woken_by_a_new_change_without_waiting_for_its_poll()
    {
        var signaler = new RecordingSlaSignaler();
        // A poll period far longer than the wait below: only the NOTIFY can wake it in time.
        var service = Dispatcher(signaler, new SlaOptions { DispatchEverySeconds = 600 });
        await service.StartAsync(CancellationToken.None);
        try
        {
            // Let the first round finish and the service settle into its wait.
            await Task.Delay(TimeSpan.FromSeconds(1));
            var id = await NewTicketAsync();
            await ChangeAsync(id, status: "pending");

            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!signaler.Signals.Any(s => s.TicketId == id) && DateTime.UtcNow < deadline)
                await Task.Delay(50);

            Assert.That(signaler.Signals.Select(s => s.TicketId), Does.Contain(id));
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
    }
}
