using OpsDesk.Db.Outbox;
using OpsDesk.Worker.Outbox;

namespace OpsDesk.Tests.Worker.Outbox;

public sealed class PublishHorizonTests
{
    [Test]
    public void With_no_open_writer_everything_visible_is_settled()
    {
        var horizon = new PublishHorizon();

        Assert.That(horizon.Advance(new HorizonProbe(42, [])), Is.EqualTo(42));
        Assert.That(horizon.HasPending, Is.False);
    }

    [Test]
    public void A_probe_with_open_writers_settles_only_when_all_of_them_have_ended()
    {
        var horizon = new PublishHorizon();
        horizon.Advance(new HorizonProbe(10, []));

        Assert.That(horizon.Advance(new HorizonProbe(20, ["3/7", "4/9"])), Is.EqualTo(10));
        Assert.That(horizon.Advance(new HorizonProbe(25, ["4/9", "5/1"])), Is.EqualTo(10), "4/9 may still hold an id below 20");
        Assert.That(horizon.Advance(new HorizonProbe(30, ["5/1"])), Is.EqualTo(20), "the writers open at 20 are gone; 5/1 may hold an id below 25");
        Assert.That(horizon.HasPending, Is.True);
        Assert.That(horizon.Advance(new HorizonProbe(30, ["6/2"])), Is.EqualTo(30));
    }
}
