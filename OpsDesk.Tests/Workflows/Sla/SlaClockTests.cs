using OpsDesk.Db.Sla;
using OpsDesk.Workflows.Sla;

namespace OpsDesk.Tests.Workflows.Sla;

public sealed class SlaClockTests
{
    private static readonly DateTime Created = new(2026, 3, 2, 10, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan P0 = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan P1 = TimeSpan.FromMinutes(60);
    private static readonly TimeSpan P2 = TimeSpan.FromHours(6);
    private static readonly TimeSpan P3 = TimeSpan.FromHours(24);

    private static SlaClock New(TimeSpan target) => new(Created, target, 0.8);

    private static DateTime At(double minutes) => Created.AddMinutes(minutes);

    [Test]
    public void Deadline_and_warning_run_from_creation()
    {
        var clock = New(P0);

        Assert.Multiple(() =>
        {
            Assert.That(clock.DueAt, Is.EqualTo(At(15)));
            Assert.That(clock.WarningAt, Is.EqualTo(At(12)));
            Assert.That(clock.NextCheckAt, Is.EqualTo(At(12)));
            Assert.That(clock.State, Is.EqualTo(SlaStates.Running));
        });
    }

    [Test]
    public void Nothing_is_due_a_millisecond_before_the_warning_time()
    {
        Assert.That(New(P0).Decide(At(12).AddMilliseconds(-1)), Is.EqualTo(SlaDecision.None));
    }

    [Test]
    public void The_warning_is_due_at_the_warning_time_exactly()
    {
        Assert.That(New(P0).Decide(At(12)), Is.EqualTo(SlaDecision.Warn));
    }

    [Test]
    public void After_the_warning_the_next_check_is_the_deadline_and_the_state_is_warned()
    {
        var clock = New(P0).MarkWarned();

        Assert.Multiple(() =>
        {
            Assert.That(clock.Decide(At(14.9)), Is.EqualTo(SlaDecision.None));
            Assert.That(clock.NextCheckAt, Is.EqualTo(At(15)));
            Assert.That(clock.State, Is.EqualTo(SlaStates.Warned));
        });
    }

    [Test]
    public void The_breach_is_due_at_the_deadline_exactly()
    {
        var clock = New(P0).MarkWarned();

        Assert.Multiple(() =>
        {
            Assert.That(clock.Decide(At(15).AddTicks(-1)), Is.EqualTo(SlaDecision.None));
            Assert.That(clock.Decide(At(15)), Is.EqualTo(SlaDecision.Breach));
        });
    }

    [Test]
    public void When_warning_and_breach_are_both_due_only_the_breach_is()
    {
        Assert.That(New(P0).Decide(At(40)), Is.EqualTo(SlaDecision.Breach));
    }

    [Test]
    public void A_breach_is_final_and_nothing_more_falls_due()
    {
        var clock = New(P0).MarkBreached();

        Assert.Multiple(() =>
        {
            Assert.That(clock.Decide(At(100)), Is.EqualTo(SlaDecision.None));
            Assert.That(clock.NextCheckAt, Is.Null);
            Assert.That(clock.State, Is.EqualTo(SlaStates.Breached));
            Assert.That(clock.WithTarget(P3).State, Is.EqualTo(SlaStates.Breached));
            Assert.That(clock.OutcomeAt(At(16)), Is.EqualTo(SlaOutcomes.Breached));
        });
    }

    [Test]
    public void A_pause_moves_deadline_and_warning_by_the_paused_time()
    {
        var clock = New(P1).Pause(At(10)).Resume(At(40));

        Assert.Multiple(() =>
        {
            Assert.That(clock.PausedTotal, Is.EqualTo(TimeSpan.FromMinutes(30)));
            Assert.That(clock.DueAt, Is.EqualTo(At(90)));
            Assert.That(clock.WarningAt, Is.EqualTo(At(78)));
            Assert.That(clock.Decide(At(77.9)), Is.EqualTo(SlaDecision.None));
            Assert.That(clock.Decide(At(78)), Is.EqualTo(SlaDecision.Warn));
        });
    }

    [Test]
    public void While_paused_nothing_falls_due_and_there_is_no_next_check()
    {
        var clock = New(P0).Pause(At(5));

        Assert.Multiple(() =>
        {
            Assert.That(clock.Decide(At(500)), Is.EqualTo(SlaDecision.None));
            Assert.That(clock.NextCheckAt, Is.Null);
            Assert.That(clock.State, Is.EqualTo(SlaStates.Paused));
            Assert.That(clock.ElapsedAt(At(500)), Is.EqualTo(TimeSpan.FromMinutes(5)));
            Assert.That(clock.PausedAt(At(500)), Is.EqualTo(TimeSpan.FromMinutes(495)));
        });
    }

    [Test]
    public void Pausing_twice_keeps_the_first_pause_start_and_resuming_unpaused_changes_nothing()
    {
        var clock = New(P0).Pause(At(5)).Pause(At(8));

        Assert.That(clock.PausedSince, Is.EqualTo(At(5)));
        Assert.That(New(P0).Resume(At(8)), Is.EqualTo(New(P0)));
    }

    [Test]
    public void Several_pauses_add_up()
    {
        var clock = New(P2).Pause(At(10)).Resume(At(20)).Pause(At(30)).Resume(At(60));

        Assert.That(clock.PausedTotal, Is.EqualTo(TimeSpan.FromMinutes(40)));
        Assert.That(clock.DueAt, Is.EqualTo(Created + P2 + TimeSpan.FromMinutes(40)));
    }

    [Test]
    public void A_pause_that_starts_at_the_deadline_does_not_prevent_the_breach()
    {
        var clock = New(P0).MarkWarned().Pause(At(15));

        Assert.Multiple(() =>
        {
            Assert.That(clock.Decide(At(15)), Is.EqualTo(SlaDecision.Breach));
            Assert.That(clock.Decide(At(60)), Is.EqualTo(SlaDecision.Breach));
            Assert.That(clock.OutcomeAt(At(60)), Is.EqualTo(SlaOutcomes.Breached));
        });
    }

    [Test]
    public void A_pause_that_starts_just_before_the_deadline_holds_the_clock_there()
    {
        var clock = New(P0).MarkWarned().Pause(At(15).AddMilliseconds(-1));

        Assert.Multiple(() =>
        {
            Assert.That(clock.Decide(At(600)), Is.EqualTo(SlaDecision.None));
            Assert.That(clock.OutcomeAt(At(600)), Is.EqualTo(SlaOutcomes.Met));
        });
    }

    [Test]
    public void Resolving_while_paused_counts_only_the_time_before_the_pause()
    {
        // P0: paused at 10 min, resolved at 50 min wall time; only 10 of 15 minutes were used.
        var clock = New(P0).Pause(At(10));

        Assert.Multiple(() =>
        {
            Assert.That(clock.OutcomeAt(At(50)), Is.EqualTo(SlaOutcomes.Met));
            Assert.That(clock.ElapsedAt(At(50)), Is.EqualTo(TimeSpan.FromMinutes(10)));
            Assert.That(clock.PausedAt(At(50)), Is.EqualTo(TimeSpan.FromMinutes(40)));
        });
    }

    [Test]
    public void Resolving_at_the_deadline_exactly_is_a_breach_and_a_moment_before_is_met()
    {
        var clock = New(P0).MarkWarned();

        Assert.That(clock.OutcomeAt(At(15)), Is.EqualTo(SlaOutcomes.Breached));
        Assert.That(clock.OutcomeAt(At(15).AddTicks(-1)), Is.EqualTo(SlaOutcomes.Met));
    }

    [Test]
    public void A_priority_raise_before_the_warning_that_puts_the_deadline_in_the_past_breaches_at_once()
    {
        // P3 ticket, 20 minutes old, raised to P0 (15 min): the new deadline passed 5 minutes ago.
        var clock = New(P3).WithTarget(P0);

        Assert.Multiple(() =>
        {
            Assert.That(clock.DueAt, Is.EqualTo(At(15)));
            Assert.That(clock.Decide(At(20)), Is.EqualTo(SlaDecision.Breach));
        });
    }

    [Test]
    public void A_priority_raise_before_the_warning_can_bring_the_warning_forward()
    {
        // P2 ticket 30 minutes old raised to P1: warning at 48 min, deadline at 60.
        var clock = New(P2).WithTarget(P1);

        Assert.Multiple(() =>
        {
            Assert.That(clock.Decide(At(30)), Is.EqualTo(SlaDecision.None));
            Assert.That(clock.NextCheckAt, Is.EqualTo(At(48)));
            Assert.That(clock.Decide(At(48)), Is.EqualTo(SlaDecision.Warn));
        });
    }

    [Test]
    public void A_priority_raise_after_the_warning_moves_the_next_check_to_the_new_deadline()
    {
        // P1 warned at 48 min; at 50 min raised to... a target of 55 min keeps the deadline ahead.
        var clock = New(P1).MarkWarned().WithTarget(TimeSpan.FromMinutes(55));

        Assert.Multiple(() =>
        {
            Assert.That(clock.Decide(At(50)), Is.EqualTo(SlaDecision.None));
            Assert.That(clock.NextCheckAt, Is.EqualTo(At(55)));
            Assert.That(clock.State, Is.EqualTo(SlaStates.Warned));
        });
    }

    [Test]
    public void A_priority_raise_after_the_warning_past_the_new_deadline_breaches_at_once()
    {
        var clock = New(P2).MarkWarned().WithTarget(P1);

        Assert.That(clock.Decide(At(5 * 60)), Is.EqualTo(SlaDecision.Breach));
    }

    [Test]
    public void A_priority_lowered_after_the_warning_does_not_warn_again()
    {
        // P1 warned at 48 min, lowered to P3 at 50 min: the new warning time is far ahead, and
        // passing it later writes nothing because the ticket was already warned.
        var clock = New(P1).MarkWarned().WithTarget(P3);

        Assert.Multiple(() =>
        {
            Assert.That(clock.Decide(At(50)), Is.EqualTo(SlaDecision.None));
            Assert.That(clock.Decide(At(0.8 * 24 * 60)), Is.EqualTo(SlaDecision.None));
            Assert.That(clock.NextCheckAt, Is.EqualTo(Created + P3));
            Assert.That(clock.State, Is.EqualTo(SlaStates.Warned));
        });
    }

    [Test]
    public void A_priority_change_keeps_paused_time()
    {
        var clock = New(P3).Pause(At(10)).Resume(At(40)).WithTarget(P1);

        Assert.That(clock.DueAt, Is.EqualTo(At(90)));
    }

    [Test]
    public void Elapsed_time_excludes_pauses_and_is_never_negative()
    {
        var clock = New(P1).Pause(At(10)).Resume(At(40));

        Assert.Multiple(() =>
        {
            Assert.That(clock.ElapsedAt(At(50)), Is.EqualTo(TimeSpan.FromMinutes(20)));
            Assert.That(clock.ElapsedAt(Created.AddMinutes(-5)), Is.EqualTo(TimeSpan.Zero));
        });
    }

    [Test]
    public void A_warning_fraction_that_does_not_divide_evenly_rounds_to_the_nearest_tick()
    {
        var clock = new SlaClock(Created, TimeSpan.FromTicks(3), 0.5);

        Assert.That(clock.WarningOffset, Is.EqualTo(TimeSpan.FromTicks(2)));
    }

    [Test]
    public void A_completed_clock_is_frozen_decides_nothing_and_keeps_its_outcome()
    {
        var late = New(P0).Complete(At(20));
        var early = New(P0).Complete(At(5));

        Assert.Multiple(() =>
        {
            Assert.That(late.Decide(At(30)), Is.EqualTo(SlaDecision.None), "no breach written after completion");
            Assert.That(late.OutcomeAt(At(20)), Is.EqualTo(SlaOutcomes.Breached));
            Assert.That(early.OutcomeAt(At(5)), Is.EqualTo(SlaOutcomes.Met));
            Assert.That(early.ElapsedAt(At(600)), Is.EqualTo(TimeSpan.FromMinutes(5)));
            Assert.That(early.NextCheckAt, Is.Null);
            Assert.That(early.State, Is.EqualTo(SlaStates.Completed));
        });
    }

    [Test]
    public void Completing_at_the_deadline_exactly_is_a_breach()
    {
        Assert.That(New(P0).Complete(At(15)).OutcomeAt(At(15)), Is.EqualTo(SlaOutcomes.Breached));
    }
}
