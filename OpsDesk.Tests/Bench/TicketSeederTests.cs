using Npgsql;
using OpsDesk.Bench.Seed;
using OpsDesk.Db.Events;
using OpsDesk.Db.Tickets;
using OpsDesk.Tests.Support;
using OpsDesk.Worker.Commands;
using OpsDesk.Workflows.Sla;

namespace OpsDesk.Tests.Bench;

public sealed class TicketSeederTests
{
    [Test]
    public async Task Seed_loads_varied_tickets_each_with_one_published_created_event()
    {
        var cs = await TestDatabase.CreateIsolatedDatabaseAsync();

        var run = await LoadCli.RunAsync("seed", "--tickets", "1500", "--batch-size", "400", "--connection-string", cs);

        Assert.That(run.ExitCode, Is.EqualTo(Cli.Ok), run.Stderr);
        await using var db = NpgsqlDataSource.Create(cs);
        async Task<long> Scalar(string sql)
        {
            await using var cmd = db.CreateCommand(sql);
            return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }

        var counts = new Dictionary<string, long>();
        foreach (var sql in new[]
        {
            "SELECT count(*) FROM tickets",
            "SELECT count(*) FROM ticket_events WHERE type = 'ticket.created' AND published_at IS NOT NULL",
            "SELECT count(*) FROM tickets t WHERE (SELECT count(*) FROM ticket_events e WHERE e.ticket_id = t.id) <> 1",
            "SELECT count(DISTINCT status) FROM tickets",
            "SELECT count(DISTINCT source) FROM tickets",
            "SELECT count(DISTINCT triage_status) FROM tickets",
            "SELECT count(DISTINCT priority) FROM tickets",
            "SELECT count(DISTINCT category) FROM tickets",
            "SELECT count(DISTINCT subject) FROM tickets",
            "SELECT count(DISTINCT description) FROM tickets",
            "SELECT count(*) FROM tickets WHERE search @@ websearch_to_tsquery('english', 'refund')",
            "SELECT count(*) FROM tickets WHERE assignee_id IS NULL",
            "SELECT count(DISTINCT assignee_id) FROM tickets",
            "SELECT count(*) FROM tickets t WHERE cardinality(tags) <> (SELECT count(*) FROM ticket_tags g WHERE g.ticket_id = t.id)",
            "SELECT count(*) FROM ticket_tags WHERE tag = 'vip'",
        })
        {
            counts[sql] = await Scalar(sql);
        }

        Assert.Multiple(() =>
        {
            Assert.That(counts["SELECT count(*) FROM tickets"], Is.EqualTo(1500), "SELECT count(*) FROM tickets");
            Assert.That(counts["SELECT count(*) FROM ticket_events WHERE type = 'ticket.created' AND published_at IS NOT NULL"], Is.EqualTo(1500), "SELECT count(*) FROM ticket_events WHERE type = 'ticket.created' AND published_at IS NOT NULL");
            Assert.That(counts["SELECT count(*) FROM tickets t WHERE (SELECT count(*) FROM ticket_events e WHERE e.ticket_id = t.id) <> 1"], Is.Zero, "SELECT count(*) FROM tickets t WHERE (SELECT count(*) FROM ticket_events e WHERE e.ticket_id = t.id) <> 1");
            Assert.That(counts["SELECT count(DISTINCT status) FROM tickets"], Is.EqualTo(4), "SELECT count(DISTINCT status) FROM tickets");
            Assert.That(counts["SELECT count(DISTINCT source) FROM tickets"], Is.EqualTo(5), "SELECT count(DISTINCT source) FROM tickets");
            Assert.That(counts["SELECT count(DISTINCT triage_status) FROM tickets"], Is.EqualTo(4), "SELECT count(DISTINCT triage_status) FROM tickets");
            Assert.That(counts["SELECT count(DISTINCT priority) FROM tickets"], Is.EqualTo(4), "SELECT count(DISTINCT priority) FROM tickets");
            Assert.That(counts["SELECT count(DISTINCT category) FROM tickets"], Is.EqualTo(8), "SELECT count(DISTINCT category) FROM tickets");
            Assert.That(counts["SELECT count(DISTINCT subject) FROM tickets"], Is.GreaterThan(300), "SELECT count(DISTINCT subject) FROM tickets");
            Assert.That(counts["SELECT count(DISTINCT description) FROM tickets"], Is.GreaterThan(1490), "SELECT count(DISTINCT description) FROM tickets");
            Assert.That(counts["SELECT count(*) FROM tickets WHERE search @@ websearch_to_tsquery('english', 'refund')"], Is.GreaterThan(0), "SELECT count(*) FROM tickets WHERE search @@ websearch_to_tsquery('english', 'refund')");
            Assert.That(counts["SELECT count(*) FROM tickets WHERE assignee_id IS NULL"], Is.InRange(200, 400), "a fifth unassigned");
            Assert.That(counts["SELECT count(DISTINCT assignee_id) FROM tickets"], Is.EqualTo(TicketSeeder.SeedAgents), "spread over the seeded agents");
            Assert.That(counts["SELECT count(*) FROM tickets t WHERE cardinality(tags) <> (SELECT count(*) FROM ticket_tags g WHERE g.ticket_id = t.id)"], Is.Zero, "ticket_tags holds each ticket's tags");
            Assert.That(counts["SELECT count(*) FROM ticket_tags WHERE tag = 'vip'"], Is.GreaterThan(30), "vip is a tag to filter on");
        });
        Assert.That(run.Stdout, Does.Contain("Seeded 1500 tickets and 1500 events"));
    }

    [Test]
    public async Task Seeded_created_events_read_back_as_the_apis_ticket_created_event_of_their_ticket()
    {
        var cs = await TestDatabase.CreateIsolatedDatabaseAsync();
        await using var db = NpgsqlDataSource.Create(cs);

        await new TicketSeeder(db, SlaPolicy.Default).SeedAsync(50, 50, 1, 7, null, CancellationToken.None);

        await using var cmd = db.CreateCommand("""
            SELECT t.id, t.subject, t.source, t.requester_email IS NOT NULL, e.payload::text
            FROM tickets t JOIN ticket_events e ON e.ticket_id = t.id AND e.type = 'ticket.created'
            """);
        await using var reader = await cmd.ExecuteReaderAsync();
        var read = 0;
        while (await reader.ReadAsync())
        {
            var expected = new TicketCreatedEvent(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), TicketStatus.Open, TriageStatus.Queued, reader.GetBoolean(3));
            Assert.That(TicketEventWriter.Deserialize<TicketCreatedEvent>(reader.GetString(4)), Is.EqualTo(expected));
            read++;
        }

        Assert.That(read, Is.EqualTo(50));
    }

    [Test]
    public async Task Seed_adds_to_existing_tickets_without_touching_their_events()
    {
        var cs = await TestDatabase.CreateIsolatedDatabaseAsync();

        var first = await LoadCli.RunAsync("seed", "--tickets", "300", "--connection-string", cs, "--vacuum", "false");
        var second = await LoadCli.RunAsync("seed", "--tickets", "200", "--connection-string", cs, "--random-seed", "7");

        Assert.That((first.ExitCode, second.ExitCode), Is.EqualTo((Cli.Ok, Cli.Ok)), first.Stderr + second.Stderr);
        await using var db = NpgsqlDataSource.Create(cs);
        await using var cmd = db.CreateCommand("SELECT count(*), count(DISTINCT ticket_id) FROM ticket_events");
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.That((reader.GetInt64(0), reader.GetInt64(1)), Is.EqualTo((500L, 500L)));
    }

    [Test]
    public async Task Seeded_sla_deadlines_and_warnings_follow_the_sla_policy_it_is_given()
    {
        var cs = await TestDatabase.CreateIsolatedDatabaseAsync();
        var targets = new Dictionary<string, TimeSpan>
        {
            ["P0"] = TimeSpan.FromMinutes(10),
            ["P1"] = TimeSpan.FromMinutes(20),
            ["P2"] = TimeSpan.FromMinutes(30),
            ["P3"] = TimeSpan.FromMinutes(40),
        };
        var policy = new SlaPolicy(targets, 0.5, "P2", 500);
        await using var db = NpgsqlDataSource.Create(cs);

        await new TicketSeeder(db, policy).SeedAsync(400, 100, 2, 42, null, CancellationToken.None);

        await using var cmd = db.CreateCommand("""
            SELECT priority, extract(epoch FROM sla_due_at - created_at)::int, extract(epoch FROM sla_warning_at - created_at)::int, count(*)
            FROM tickets WHERE triage_status = 'classified' GROUP BY 1, 2, 3 ORDER BY 1
            """);
        var rows = new List<(string Priority, int Due, int Warning)>();
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                rows.Add((reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2)));
        }

        Assert.That(rows.Select(r => r.Priority), Is.EqualTo(new[] { "P0", "P1", "P2", "P3" }), "one deadline per priority");
        foreach (var (priority, due, warning) in rows)
        {
            Assert.That(due, Is.EqualTo((int)targets[priority].TotalSeconds), priority);
            Assert.That(warning, Is.EqualTo((int)(targets[priority].TotalSeconds * 0.5)), priority);
        }
    }
}
