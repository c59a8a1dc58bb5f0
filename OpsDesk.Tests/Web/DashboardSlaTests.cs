using System.Net;
using System.Text.RegularExpressions;
using Npgsql;
using OpsDesk.Db.Auth;
using OpsDesk.Db.Dashboard;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Web;

/// <summary>
/// The dashboard's SLA and response-time figures against data inserted into a database of their own
/// (the aggregates are over every ticket, so the shared test database cannot pin their values).
/// </summary>
public sealed partial class DashboardSlaTests
{
    private string connectionString = "";
    private NpgsqlDataSource db = null!;

    [OneTimeSetUp]
    public async Task SeedAsync()
    {
        connectionString = await TestDatabase.CreateIsolatedDatabaseAsync();
        db = NpgsqlDataSource.Create(connectionString);
        // Four tickets of the last day, created at t0; one of a month ago (outside the 14-day window).
        //   a: classified at 60 s, first public agent reply at 120 s (a second one at 5000 s counts not)
        //   b: classified at 30 s, an internal note at 10 s and a requester comment at 5 s (neither is a
        //      first response), the first public agent reply at 600 s
        //   c: classified at 90 s, never answered
        //   old: classified at 1 s, answered at 1 s — outside the window for both medians
        // Completed SLA targets: first response met 3, breached 1; resolution met 2 + 1 single-target
        // (pre-#16) clock, breached 2.
        await using var cmd = db.CreateCommand("""
            CREATE TEMP TABLE t0 AS SELECT now() - interval '1 day' AS at;
            INSERT INTO tickets (subject, description, source, created_at)
            SELECT s, 'Dashboard', 'web', CASE WHEN s = 'old' THEN now() - interval '30 days' ELSE (SELECT at FROM t0) END
            FROM unnest(ARRAY['a', 'b', 'c', 'old']) s;
            CREATE TEMP TABLE ids AS SELECT subject, id FROM tickets;
            INSERT INTO ticket_events (ticket_id, type, payload, occurred_at)
            SELECT i.id, e.type, e.payload::jsonb, t.created_at + make_interval(secs => e.secs)
            FROM (VALUES
                ('a', 'ticket.classified', '{}', 60), ('a', 'ticket.comment_added', '{"authorKind":"agent","public":true}', 120),
                ('a', 'ticket.comment_added', '{"authorKind":"agent","public":true}', 5000),
                ('b', 'ticket.classified', '{}', 30), ('b', 'ticket.comment_added', '{"authorKind":"agent","public":false}', 10),
                ('b', 'ticket.comment_added', '{"authorKind":"requester","public":true}', 5),
                ('b', 'ticket.comment_added', '{"authorKind":"agent","public":true}', 600),
                ('c', 'ticket.classified', '{}', 90),
                ('old', 'ticket.classified', '{}', 1), ('old', 'ticket.comment_added', '{"authorKind":"agent","public":true}', 1),
                ('a', 'sla.completed', '{"target":"first_response","outcome":"met"}', 120),
                ('b', 'sla.completed', '{"target":"first_response","outcome":"met"}', 600),
                ('c', 'sla.completed', '{"target":"first_response","outcome":"met"}', 700),
                ('old', 'sla.completed', '{"target":"first_response","outcome":"breached"}', 1),
                ('a', 'sla.completed', '{"target":"resolution","outcome":"met"}', 6000),
                ('b', 'sla.completed', '{"target":"resolution","outcome":"met"}', 6000),
                ('c', 'sla.completed', '{"target":"resolution","outcome":"breached"}', 9000),
                ('old', 'sla.completed', '{"target":"resolution","outcome":"breached"}', 9000),
                ('old', 'sla.completed', '{"target":"PT4H","outcome":"met"}', 2)
            ) AS e(subject, type, payload, secs)
            JOIN ids i USING (subject) JOIN tickets t ON t.id = i.id;
            """);
        await cmd.ExecuteNonQueryAsync();
    }

    [OneTimeTearDown]
    public async Task DisposeAsync() => await db.DisposeAsync();

    [Test]
    public async Task Sla_outcomes_are_counted_per_target_and_a_single_target_clock_counts_as_resolution()
    {
        var outcomes = await new DashboardQueries(db).SlaOutcomesAsync(CancellationToken.None);

        Assert.That(outcomes.Select(o => (o.Target, o.Outcome, o.Count)), Is.EqualTo(new[]
        {
            ("first_response", "breached", 1L), ("first_response", "met", 3L),
            ("resolution", "breached", 2L), ("resolution", "met", 3L),
        }));
    }

    [Test]
    public async Task Median_time_to_first_response_counts_only_the_first_public_agent_comment_in_the_window()
    {
        var queries = new DashboardQueries(db);

        var response = await queries.MedianSecondsToFirstResponseAsync(14, CancellationToken.None);
        var triage = await queries.MedianSecondsToTriageAsync(14, CancellationToken.None);

        Assert.That(response, Is.EqualTo(360).Within(0.001), "median of 120 s and 600 s");
        Assert.That(triage, Is.EqualTo(60).Within(0.001), "median of 30, 60 and 90 s");
    }

    [Test]
    public async Task Dashboard_page_draws_both_targets_and_both_medians()
    {
        await using var factory = new ApiFactory(new Dictionary<string, string?> { ["ConnectionStrings:OpsDesk"] = connectionString });
        var key = await new ApiKeyRepository(db).CreateAsync("dashboard-agent", ApiKeyRoles.Agent);
        using var browser = WebForms.Browser(factory);
        await WebForms.SignInAsync(browser, key!.Key);

        using var response = await browser.GetAsync("/console/dashboard");
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), html);
        Assert.Multiple(() =>
        {
            Assert.That(Bars(html, "SLA first response: met vs breached"), Is.EqualTo(new[] { "met: 3", "breached: 1" }));
            Assert.That(Bars(html, "SLA resolution: met vs breached"), Is.EqualTo(new[] { "met: 3", "breached: 2" }));
            Assert.That(Bars(html, "Median time to triage and to first response (last 14 days)"),
                Is.EqualTo(new[] { "to triage: 60.0 s", "to first response: 6.0 min" }));
        });
    }

    /// <summary>The bars' titles (label: value) of the chart named <paramref name="title"/>, top to bottom.</summary>
    private static string[] Bars(string html, string title)
    {
        var svg = Regex.Match(html, $"<svg class=\"chart\" role=\"img\" aria-label=\"{Regex.Escape(title)}\".*?</svg>", RegexOptions.Singleline);
        Assert.That(svg.Success, Is.True, $"a chart \"{title}\"");
        return BarTitle().Matches(svg.Value).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToArray();
    }

    [GeneratedRegex("<title>(.*?)</title>")]
    private static partial Regex BarTitle();
}
