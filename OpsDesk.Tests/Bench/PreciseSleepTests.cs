using System.Diagnostics;
using OpsDesk.Bench.Measuring;

namespace OpsDesk.Tests.Bench;

public sealed class PreciseSleepTests
{
    [TestCase(0.3)]
    [TestCase(2.5)]
    [TestCase(15)]
    public void Never_wakes_before_the_due_time(double milliseconds)
    {
        // The open loop's pacer sends when this returns: an early return would send requests ahead of
        // schedule and report them from a time they had not reached yet.
        for (var i = 0; i < 20; i++)
        {
            var due = Stopwatch.GetTimestamp() + (long)(milliseconds * Stopwatch.Frequency / 1000);
            PreciseSleep.Until(due);
            Assert.That(Stopwatch.GetTimestamp(), Is.GreaterThanOrEqualTo(due));
        }
    }

    [Test]
    public void A_due_time_in_the_past_returns_without_sleeping()
    {
        var calls = 0;
        var started = Stopwatch.GetTimestamp();
        while (calls < 1000)
        {
            PreciseSleep.Until(started - Stopwatch.Frequency);
            calls++;
        }

        // A thousand sleeps of even a millisecond would take a second; none took place.
        Assert.That(Stopwatch.GetElapsedTime(started), Is.LessThan(TimeSpan.FromMilliseconds(500)));
    }
}
