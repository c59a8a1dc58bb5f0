using OpsDesk.Db.Resilience;

namespace OpsDesk.Tests.Db.Resilience;

public sealed class BackoffTests
{
    [Test]
    public void Waits_double_from_the_initial_one_up_to_the_cap_and_start_over_after_a_reset()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), jitter: 0);

        var waits = Enumerable.Range(0, 5).Select(_ => backoff.Next().TotalSeconds).ToList();
        backoff.Reset();

        Assert.That(waits, Is.EqualTo(new[] { 1.0, 2, 4, 5, 5 }));
        Assert.That(backoff.Next(), Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(backoff.Failures, Is.EqualTo(1));
    }

    [Test]
    public void Jitter_only_shortens_a_wait_and_by_at_most_its_fraction()
    {
        var waits = Enumerable.Range(0, 200).Select(_ => new Backoff(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10), jitter: 0.2).Next()).ToList();

        Assert.That(waits, Has.All.InRange(TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(10)));
        Assert.That(waits.Distinct().Count(), Is.GreaterThan(1), "the waits are spread");
    }
}
