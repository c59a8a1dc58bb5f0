using OpsDesk.Db.Dashboard;
using OpsDesk.Db.Tickets;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Db.Dashboard;

public sealed class DashboardQueriesTests
{
    private static DashboardQueries Queries => new(TestDatabase.DataSource);

    [Test]
    public async Task Every_aggregate_reads_and_a_new_ticket_counts_today_as_untriaged()
    {
        var repo = new TicketRepository(TestDatabase.DataSource);
        await repo.InsertAsync(new NewTicket("Dashboard count", "Counted today", "web", null, null, null));
        var today = DateTime.UtcNow.Date;

        var perDay = await Queries.TicketsPerDayAsync(14, CancellationToken.None);
        var counts = await Queries.CountsAsync(null, CancellationToken.None);
        var open = await Queries.OpenByPriorityAsync(CancellationToken.None);
        await Queries.SlaOutcomesAsync(CancellationToken.None);
        await Queries.MedianSecondsToTriageAsync(14, CancellationToken.None);
        await Queries.MedianSecondsToFirstResponseAsync(14, CancellationToken.None);

        Assert.That(perDay.Single(r => r.Day == DateOnly.FromDateTime(today) && r.Category == "untriaged").Count, Is.GreaterThanOrEqualTo(1));
        Assert.That(counts.Unassigned, Is.GreaterThanOrEqualTo(1));
        Assert.That(counts.MyOpen, Is.Zero, "no agent, no \"my\" tickets");
        Assert.That(open.Single(r => r.Label == "none").Count, Is.GreaterThanOrEqualTo(1));
    }
}
