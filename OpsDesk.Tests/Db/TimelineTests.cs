using Npgsql;
using OpsDesk.Db.Events;
using OpsDesk.Db.Tickets;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Db;

public sealed class TimelineTests
{
    private static async Task<long> NewTicketWithEventAsync()
    {
        var repo = new TicketRepository(TestDatabase.DataSource);
        var result = await repo.InsertAsync(new NewTicket("Timeline " + Guid.NewGuid(), "d", "api", null, null, null));
        return result.Ticket.Id;
    }

    [Test]
    public async Task Update_of_an_event_payload_is_refused_by_the_database()
    {
        var id = await NewTicketWithEventAsync();

        var ex = Assert.ThrowsAsync<PostgresException>(() =>
            TestDatabase.ExecuteAsync("UPDATE ticket_events SET payload = '{}' WHERE ticket_id = @id", ("id", id)));

        Assert.That(ex!.MessageText, Does.Contain("append-only"));
    }

    [TestCase("type = 'ticket.hacked'")]
    [TestCase("occurred_at = now() - interval '1 day'")]
    [TestCase("dedupe_key = 'other'")]
    public async Task Update_of_any_column_but_published_at_is_refused(string assignment)
    {
        var id = await NewTicketWithEventAsync();

        Assert.ThrowsAsync<PostgresException>(() =>
            TestDatabase.ExecuteAsync($"UPDATE ticket_events SET {assignment} WHERE ticket_id = @id", ("id", id)));
    }

    [Test]
    public async Task Delete_of_an_event_is_refused_by_the_database()
    {
        var id = await NewTicketWithEventAsync();

        var ex = Assert.ThrowsAsync<PostgresException>(() =>
            TestDatabase.ExecuteAsync("DELETE FROM ticket_events WHERE ticket_id = @id", ("id", id)));

        Assert.That(ex!.MessageText, Does.Contain("DELETE"));
        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM ticket_events WHERE ticket_id = @id", ("id", id)), Is.EqualTo(1));
    }

    [Test]
    public async Task Setting_published_at_is_allowed()
    {
        var id = await NewTicketWithEventAsync();

        await TestDatabase.ExecuteAsync("UPDATE ticket_events SET published_at = now() WHERE ticket_id = @id", ("id", id));

        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM ticket_events WHERE ticket_id = @id AND published_at IS NOT NULL", ("id", id)), Is.EqualTo(1));
    }

    [Test]
    public async Task Event_with_the_same_dedupe_key_is_stored_once()
    {
        var id = await NewTicketWithEventAsync();
        await using var conn = await TestDatabase.DataSource.OpenConnectionAsync();

        var first = await TicketEventWriter.AppendAsync(conn, null, id, new SlaWarningEvent { ElapsedSeconds = 1 }, "cycle-1", CancellationToken.None);
        var second = await TicketEventWriter.AppendAsync(conn, null, id, new SlaWarningEvent { ElapsedSeconds = 2 }, "cycle-1", CancellationToken.None);

        Assert.That(second, Is.EqualTo(first));
        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM ticket_events WHERE ticket_id = @id AND type = 'sla.warning'", ("id", id)), Is.EqualTo(1));
    }

    [Test]
    public async Task Ticket_is_not_stored_when_its_created_event_cannot_be_written()
    {
        var marker = "atomic-" + Guid.NewGuid().ToString("N");
        // Make the event insert fail for this ticket only (other tests run in parallel on the same database).
        var fn = "fail_" + Guid.NewGuid().ToString("N")[..10];
        await TestDatabase.ExecuteAsync($"""
            CREATE FUNCTION {fn}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'forced event failure'; END; $$;
            CREATE TRIGGER {fn} BEFORE INSERT ON ticket_events FOR EACH ROW
                WHEN (NEW.payload->>'subject' = '{marker}') EXECUTE FUNCTION {fn}();
            """);
        try
        {
            var repo = new TicketRepository(TestDatabase.DataSource);

            var ex = Assert.ThrowsAsync<PostgresException>(() => repo.InsertAsync(new NewTicket(marker, "d", "web", null, "k-" + marker, [1, 2, 3])));

            Assert.That(ex!.MessageText, Does.Contain("forced event failure"));
            Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM tickets WHERE subject = @s", ("s", marker)), Is.Zero);
            Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM tickets WHERE idempotency_key = @k", ("k", "k-" + marker)), Is.Zero);
        }
        finally
        {
            await TestDatabase.ExecuteAsync($"DROP TRIGGER {fn} ON ticket_events; DROP FUNCTION {fn}();");
        }
    }
}
