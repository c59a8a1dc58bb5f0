using System.Text.Json.Nodes;
using Dapper;
using Npgsql;
using OpsDesk.Db.Tickets;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Db;

/// <summary>
/// The queue filters, alone and combined, over 100,000 tickets: every first page and every deep page
/// (keyset cursor in the middle) is read through an index in id order — no sequential scan of tickets,
/// no sort of the matches — and touches a few hundred buffers, not the table.
/// </summary>
public sealed class TicketListPlanTests
{
    private const int Tickets = 100_000;
    private static NpgsqlDataSource dataSource = null!;

    [OneTimeSetUp]
    public static async Task Seed()
    {
        dataSource = NpgsqlDataSource.Create(await TestDatabase.CreateIsolatedDatabaseAsync());
        await using var conn = await dataSource.OpenConnectionAsync();
        // 20 agents; tickets: a fifth unassigned, statuses 40 % open / 20 % pending / 40 % closed, every
        // ticket one of 50 tags ("tag-0" the most common, 1 in 10), every 7th also "vip", 2 % warned,
        // 1 % breached, a third awaiting an agent.
        await conn.ExecuteAsync($"""
            INSERT INTO agents (name, role) SELECT 'plan-agent-' || i, 'agent' FROM generate_series(1, 20) i;
            INSERT INTO tickets (subject, description, source, status, priority, category, assignee_id, tags, sla_state, last_public_comment_by)
            SELECT 'Ticket ' || i, 'Order ' || i || ' failed', (ARRAY['web','email','api','chat','phone'])[1 + i % 5],
                   (ARRAY['open','open','pending','closed','closed'])[1 + i % 5], 'P' || (i % 4), 'payments',
                   CASE WHEN i % 5 = 0 THEN NULL ELSE (SELECT min(id) FROM agents) + i % 20 END,
                   CASE WHEN i % 7 = 0 THEN ARRAY['tag-' || (i % 10 * 5 + i % 5), 'vip'] ELSE ARRAY['tag-' || (i % 10 * 5 + i % 5)] END,
                   CASE WHEN i % 50 = 0 THEN 'warned' WHEN i % 100 = 1 THEN 'breached' ELSE 'running' END,
                   CASE WHEN i % 3 = 0 THEN 'requester' WHEN i % 3 = 1 THEN 'agent' END
            FROM generate_series(1, {Tickets}) i;
            INSERT INTO ticket_tags (tag, ticket_id) SELECT unnest(tags), id FROM tickets;
            ANALYZE tickets; ANALYZE ticket_tags; ANALYZE agents;
            """, commandTimeout: 300);
    }

    [OneTimeTearDown]
    public static async Task Dispose() => await dataSource.DisposeAsync();

    private static IEnumerable<TestCaseData> Filters()
    {
        // The agent id is resolved at run time: "agent" stands for the second seeded agent (tickets i ≡ 1 mod 20: open, tag-6).
        yield return new TestCaseData("assignee=agent", new TicketListQuery());
        yield return new TestCaseData("assignee=agent&status=open", new TicketListQuery(Status: "open"));
        yield return new TestCaseData("assignee=none", new TicketListQuery() with { Unassigned = true });
        yield return new TestCaseData("tag=tag-0", new TicketListQuery() with { Tag = "tag-0" });
        yield return new TestCaseData("tag=vip&status=open", new TicketListQuery(Status: "open") with { Tag = "vip" });
        yield return new TestCaseData("tag=tag-6&assignee=agent&status=open", new TicketListQuery(Status: "open") with { Tag = "tag-6" });
        yield return new TestCaseData("sla=warned", new TicketListQuery() with { SlaState = "warned" });
        yield return new TestCaseData("sla=breached&priority=P1", new TicketListQuery(Priority: "P1") with { SlaState = "breached" });
        yield return new TestCaseData("awaiting=agent", new TicketListQuery() with { AwaitingAgent = true });
        yield return new TestCaseData("awaiting=agent&assignee=agent&status=open", new TicketListQuery(Status: "open") with { AwaitingAgent = true });
        yield return new TestCaseData("status=pending&source=chat", new TicketListQuery(Status: "pending", Source: "api"));
    }

    [TestCaseSource(nameof(Filters))]
    public async Task A_first_and_a_deep_page_are_read_in_id_order_through_an_index(string name, TicketListQuery query)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        var agent = await conn.ExecuteScalarAsync<long>("SELECT min(id) + 1 FROM agents");
        if (name.Contains("assignee=agent", StringComparison.Ordinal))
            query = query with { AssigneeId = agent };

        foreach (var page in new[] { query, query with { BeforeId = Tickets / 2 } })
        {
            var command = TicketRepository.ListCommand(page);
            var json = await conn.ExecuteScalarAsync<string>(new CommandDefinition("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + command.CommandText, command.Parameters));
            var plan = JsonNode.Parse(json!)![0]!["Plan"]!;
            var nodes = Flatten(plan).ToList();
            var text = string.Join(" > ", nodes.Select(n => $"{n["Node Type"]}({n["Index Name"] ?? n["Relation Name"]})"));

            Assert.That(nodes.Where(n => n["Node Type"]!.GetValue<string>() == "Seq Scan").Select(n => n["Relation Name"]!.GetValue<string>()), Has.None.EqualTo("tickets"), $"{name}: {text}");
            Assert.That(nodes.Select(n => n["Node Type"]!.GetValue<string>()), Has.None.EqualTo("Sort"), $"{name}: {text}");
            Assert.That(plan["Actual Rows"]!.GetValue<long>(), Is.EqualTo(query.Limit + 1), $"{name}: a full page exists");
            var buffers = plan["Shared Hit Blocks"]!.GetValue<long>() + plan["Shared Read Blocks"]!.GetValue<long>();
            await TestContext.Out.WriteLineAsync($"{name}{(page.BeforeId is null ? "" : " (deep page)")}: {buffers} buffers, {JsonNode.Parse(json!)![0]!["Execution Time"]} ms: {text}");
            Assert.That(buffers, Is.LessThan(1500), $"{name}: {text}");
        }
    }

    private static IEnumerable<JsonNode> Flatten(JsonNode node) =>
        new[] { node }.Concat(node["Plans"]?.AsArray().SelectMany(child => Flatten(child!)) ?? []);
}
