using OpsDesk.Db.Sla;
using OpsDesk.Workflows.Sla;

namespace OpsDesk.Tests.Workflows.Sla;

/// <summary>The two targets of one ticket: which is due, when to look next, what the columns say.</summary>
public sealed class SlaClocksTests
{
    private static readonly DateTime Created = new(2026, 3, 2, 10, 0, 0, DateTimeKind.Utc);

    private static DateTime At(double minutes) => Created.AddMinutes(minutes);

    /// <summary>P0 under the default policy: first response 15 minutes, resolution 4 hours.</summary>
    private static SlaClocks P0() => new(
        new SlaClock(Created, SlaPolicy.Default.TargetFor("P0"), 0.8),
        new SlaClock(Created, SlaPolicy.Default.FirstResponseTargetFor("P0"), 0.8));

    [Test]
    public void An_unanswered_ticket_warns_for_its_first_response_at_80_percent_and_breaches_at_100()
    {
        var clocks = P0();

        Assert.Multiple(() =>
        {
            Assert.That(clocks.Decide(At(12).AddMilliseconds(-1)), Is.EqualTo(((SlaTarget?)null, SlaDecision.None)));
            Assert.That(clocks.Decide(At(12)), Is.EqualTo(((SlaTarget?)SlaTarget.FirstResponse, SlaDecision.Warn)));
            Assert.That(clocks.NextCheck(), Is.EqualTo(((DateTime, SlaTarget?)?)(At(12), SlaTarget.FirstResponse)));
        });
        var warned = clocks.With(SlaTarget.FirstResponse, clocks.FirstResponse!.MarkWarned());
        Assert.Multiple(() =>
        {
            Assert.That(warned.Decide(At(15).AddMilliseconds(-1)).Decision, Is.EqualTo(SlaDecision.None));
            Assert.That(warned.Decide(At(15)), Is.EqualTo(((SlaTarget?)SlaTarget.FirstResponse, SlaDecision.Breach)));
        });
    }

    [Test]
    public void A_reply_before_the_warning_leaves_only_the_resolution_clock_to_look_at()
    {
        var clocks = P0();
        var replied = clocks with { FirstResponse = clocks.FirstResponse!.Complete(At(5)) };

        Assert.Multiple(() =>
        {
            Assert.That(replied.Decide(At(14)).Decision, Is.EqualTo(SlaDecision.None), "no first-response warning after the reply");
            Assert.That(replied.FirstResponse!.OutcomeAt(At(5)), Is.EqualTo(SlaOutcomes.Met));
            Assert.That(replied.AwaitsFirstResponse, Is.False);
            Assert.That(replied.NextCheck(), Is.EqualTo(((DateTime, SlaTarget?)?)(At(192), SlaTarget.Resolution)), "80 % of 4 hours");
            Assert.That(replied.Decide(At(192)), Is.EqualTo(((SlaTarget?)SlaTarget.Resolution, SlaDecision.Warn)));
        });
    }

    [Test]
    public void Pending_pauses_the_resolution_clock_but_not_the_first_response()
    {
        var clocks = P0();
        var pending = clocks with { Resolution = clocks.Resolution.Pause(At(2)) };

        Assert.Multiple(() =>
        {
            Assert.That(pending.Decide(At(12)), Is.EqualTo(((SlaTarget?)SlaTarget.FirstResponse, SlaDecision.Warn)));
            Assert.That(pending.Resolution.NextCheckAt, Is.Null);
            Assert.That(pending.NextCheck(), Is.EqualTo(((DateTime, SlaTarget?)?)(At(12), SlaTarget.FirstResponse)));
        });
        var resumed = pending with { Resolution = pending.Resolution.Resume(At(32)) };
        Assert.Multiple(() =>
        {
            Assert.That(resumed.Resolution.DueAt, Is.EqualTo(At(270)), "moved by the 30 minutes pending");
            Assert.That(resumed.FirstResponse!.DueAt, Is.EqualTo(At(15)), "not moved");
        });
    }

    [Test]
    public void The_first_response_is_looked_at_first_when_both_fall_due()
    {
        var clocks = new SlaClocks(new SlaClock(Created, TimeSpan.FromMinutes(15), 0.8), new SlaClock(Created, TimeSpan.FromMinutes(15), 0.8));

        Assert.That(clocks.Decide(At(15)), Is.EqualTo(((SlaTarget?)SlaTarget.FirstResponse, SlaDecision.Breach)));
        var after = clocks.With(SlaTarget.FirstResponse, clocks.FirstResponse!.MarkBreached());
        Assert.That(after.Decide(At(15)), Is.EqualTo(((SlaTarget?)SlaTarget.Resolution, SlaDecision.Breach)));
    }

    [Test]
    public void A_priority_change_retargets_both_but_a_completed_first_response_keeps_its_own()
    {
        var raised = P0().WithTargets(SlaPolicy.Default, "P1");
        Assert.Multiple(() =>
        {
            Assert.That(raised.FirstResponse!.Target, Is.EqualTo(TimeSpan.FromHours(1)));
            Assert.That(raised.Resolution.Target, Is.EqualTo(TimeSpan.FromHours(24)));
        });

        var clocks = P0();
        var answered = (clocks with { FirstResponse = clocks.FirstResponse!.Complete(At(3)) }).WithTargets(SlaPolicy.Default, "P3");
        Assert.That(answered.FirstResponse!.Target, Is.EqualTo(TimeSpan.FromMinutes(15)));
        Assert.That(answered.Resolution.Target, Is.EqualTo(TimeSpan.FromDays(7)));
    }

    [Test]
    public void The_summary_columns_are_the_most_urgent_target_still_running()
    {
        var clocks = P0();
        var breachedFirst = clocks.With(SlaTarget.FirstResponse, clocks.FirstResponse!.MarkBreached());
        var pendingAnswered = clocks with { FirstResponse = clocks.FirstResponse!.Complete(At(5)), Resolution = clocks.Resolution.Pause(At(6)) };
        var pendingUnanswered = clocks with { Resolution = clocks.Resolution.Pause(At(6)) };
        var done = clocks with { FirstResponse = clocks.FirstResponse!.Complete(At(5)), Resolution = clocks.Resolution.Complete(At(50)) };

        Assert.Multiple(() =>
        {
            Assert.That(clocks.Columns().Summary, Is.EqualTo(new SlaTargetColumns(At(15), At(12), SlaStates.Running)), "both running: the nearer deadline");
            Assert.That(breachedFirst.Columns().Summary.State, Is.EqualTo(SlaStates.Breached));
            Assert.That(breachedFirst.Columns().Resolution.State, Is.EqualTo(SlaStates.Running));
            Assert.That(pendingAnswered.Columns().Summary, Is.EqualTo(new SlaTargetColumns(At(240), At(192), SlaStates.Paused)));
            Assert.That(pendingAnswered.Columns().FirstResponse!.State, Is.EqualTo(SlaStates.Completed));
            Assert.That(pendingUnanswered.Columns().Summary.State, Is.EqualTo(SlaStates.Running), "the first response still runs while pending");
            Assert.That(done.Columns().Summary.State, Is.EqualTo(SlaStates.Completed));
        });
    }

    [Test]
    public void A_single_target_clock_is_its_own_summary_and_has_no_first_response()
    {
        var single = new SlaClocks(new SlaClock(Created, TimeSpan.FromMinutes(15), 0.8));

        Assert.Multiple(() =>
        {
            Assert.That(single.Targets, Is.EqualTo(new SlaTarget?[] { null }));
            Assert.That(single.Decide(At(12)), Is.EqualTo(((SlaTarget?)null, SlaDecision.Warn)));
            Assert.That(single.Columns().FirstResponse, Is.Null);
            Assert.That(single.Columns().Summary, Is.EqualTo(single.Columns().Resolution));
            Assert.That(single.AwaitsFirstResponse, Is.False);
        });
    }
}
