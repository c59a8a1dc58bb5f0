using OpsDesk.Db.Sla;
using OpsDesk.Workflows.Sla;

namespace OpsDesk.Tests.Workflows.Sla;

/// <summary>How the load activity rebuilds the clock's starting point from the ticket and its timeline.</summary>
public sealed class SlaSnapshotTests
{
    private static readonly DateTime Created = new(2026, 3, 2, 10, 0, 0, DateTimeKind.Utc);

    private static SlaTicketSnapshot Snapshot(
        string status, string? priority = "P1", DateTime? updated = null, string[]? keys = null, double? repliedAfter = null, params (string To, double Minutes)[] changes) =>
        new(7, Created, updated ?? Created.AddMinutes(90), status, priority,
            changes.Select((c, i) => new SlaStatusChange(i + 1, c.To, Created.AddMinutes(c.Minutes))).ToList(),
            keys ?? [], changes.Length, repliedAfter is { } m ? Created.AddMinutes(m) : null);

    [Test]
    public void Pauses_that_ended_before_the_start_are_added_up()
    {
        var state = SlaActivities.FromSnapshot(Snapshot("open", changes: [("pending", 10), ("open", 25), ("pending", 30), ("open", 35)]), SlaPolicy.Default);

        Assert.Multiple(() =>
        {
            Assert.That(state.PausedTotal, Is.EqualTo(TimeSpan.FromMinutes(20)));
            Assert.That(state.PausedSince, Is.Null);
            Assert.That(state.ClosedAt, Is.Null);
            Assert.That(state.LastChangeEventId, Is.EqualTo(4));
        });
    }

    [Test]
    public void A_ticket_that_is_pending_starts_paused_since_it_went_pending()
    {
        var state = SlaActivities.FromSnapshot(Snapshot("pending", changes: [("pending", 10)]), SlaPolicy.Default);

        Assert.That(state.PausedSince, Is.EqualTo(Created.AddMinutes(10)));
        Assert.That(state.PausedTotal, Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void A_ticket_already_resolved_carries_when_it_was_resolved()
    {
        var state = SlaActivities.FromSnapshot(Snapshot("resolved", changes: [("resolved", 12)]), SlaPolicy.Default);

        Assert.That(state.ClosedAt, Is.EqualTo(Created.AddMinutes(12)));
    }

    [Test]
    public void A_reopened_ticket_is_not_closed_and_the_resolved_time_counts_as_paused()
    {
        var state = SlaActivities.FromSnapshot(Snapshot("open", changes: [("resolved", 12), ("open", 42)]), SlaPolicy.Default);

        Assert.That(state.ClosedAt, Is.Null);
        Assert.That(state.PausedTotal, Is.EqualTo(TimeSpan.FromMinutes(30)));
    }

    [Test]
    public void A_resolved_ticket_without_a_status_event_uses_its_last_update_time()
    {
        var state = SlaActivities.FromSnapshot(Snapshot("resolved", updated: Created.AddMinutes(3)), SlaPolicy.Default);

        Assert.That(state.ClosedAt, Is.EqualTo(Created.AddMinutes(3)));
    }

    [Test]
    public void Sla_events_already_written_are_reported_as_milestones()
    {
        var state = SlaActivities.FromSnapshot(
            Snapshot("open", keys: ["sla.warning:warning", "sla.recalculated:recalculated:1", "sla.recalculated:recalculated:2", "sla.breached:breached"]), SlaPolicy.Default);

        Assert.Multiple(() =>
        {
            Assert.That(state.WarningSent, Is.True);
            Assert.That(state.Breached, Is.True);
            Assert.That(state.AlreadyCompleted, Is.False);
            Assert.That(state.Cycle, Is.EqualTo(2));
            Assert.That(state.FirstResponse!.WarningSent, Is.False, "single-target milestones are the resolution's");
        });
    }

    [Test]
    public void Two_target_milestones_are_read_per_target()
    {
        var state = SlaActivities.FromSnapshot(
            Snapshot("open", keys: ["sla.warning:warning:first_response", "sla.breached:breached:first_response", "sla.recalculated:recalculated:3:first_response", "sla.recalculated:recalculated:3:resolution"]),
            SlaPolicy.Default);

        Assert.Multiple(() =>
        {
            Assert.That(state.FirstResponse!.WarningSent, Is.True);
            Assert.That(state.FirstResponse.Breached, Is.True);
            Assert.That(state.FirstResponse.Completed, Is.False);
            Assert.That(state.WarningSent, Is.False);
            Assert.That(state.Breached, Is.False);
            Assert.That(state.Cycle, Is.EqualTo(3));
        });
    }

    [Test]
    public void The_first_public_agent_reply_completes_the_first_response_where_it_was_written()
    {
        var state = SlaActivities.FromSnapshot(Snapshot("pending", priority: "P0", repliedAfter: 20, changes: [("pending", 21)]), SlaPolicy.Default);

        Assert.Multiple(() =>
        {
            Assert.That(state.FirstResponse!.Completed, Is.True);
            Assert.That(state.FirstResponse.OutcomeAt(Created.AddMinutes(20)), Is.EqualTo(SlaOutcomes.Breached), "P0's first response is 15 minutes");
            Assert.That(state.FirstResponse.ElapsedAt(Created.AddHours(5)), Is.EqualTo(TimeSpan.FromMinutes(20)));
            Assert.That(state.PausedSince, Is.EqualTo(Created.AddMinutes(21)), "pending pauses the resolution clock only");
        });
    }

    [Test]
    public void Resolving_before_any_reply_completes_the_first_response_at_the_resolve()
    {
        var state = SlaActivities.FromSnapshot(Snapshot("open", priority: "P1", changes: [("resolved", 30), ("open", 50)]), SlaPolicy.Default);

        Assert.Multiple(() =>
        {
            Assert.That(state.FirstResponse!.Completed, Is.True);
            Assert.That(state.FirstResponse.OutcomeAt(Created.AddMinutes(30)), Is.EqualTo(SlaOutcomes.Met));
            Assert.That(state.ClosedAt, Is.Null, "reopened: the resolution clock runs again");
        });
    }

    [Test]
    public void An_unanswered_ticket_has_a_running_first_response_on_its_priority()
    {
        var state = SlaActivities.FromSnapshot(Snapshot("pending", priority: "P2", changes: [("pending", 5)]), SlaPolicy.Default);

        Assert.Multiple(() =>
        {
            Assert.That(state.FirstResponse!.Completed, Is.False);
            Assert.That(state.FirstResponse.IsPaused, Is.False, "pending does not pause the first response");
            Assert.That(state.FirstResponse.DueAt, Is.EqualTo(Created.AddHours(6)));
        });
    }

    [Test]
    public void The_policy_from_configuration_is_handed_over_with_the_ticket()
    {
        var policy = SlaPolicy.Default with { WarningFraction = 0.5 };

        var state = SlaActivities.FromSnapshot(Snapshot("open", priority: null), policy);

        Assert.That(state.Policy.WarningFraction, Is.EqualTo(0.5));
        Assert.That(state.Priority, Is.Null);
    }
}
