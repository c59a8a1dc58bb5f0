using OpsDesk.Tests.Support;
using OpsDesk.Workflows.Temporal;
using Temporalio.Exceptions;

namespace OpsDesk.Tests.Workflows.Temporal;

public sealed class TemporalErrorsTests
{
    [Test]
    public void A_connect_to_a_port_nobody_listens_on_is_Temporal_being_unavailable()
    {
        var options = new TemporalOptions { Address = $"127.0.0.1:{Ports.Free()}" };

        var error = Assert.CatchAsync(() => TemporalConnect.ConnectAsync(options, TimeSpan.FromSeconds(20), CancellationToken.None));

        Assert.That(error, Is.TypeOf<TemporalUnavailableException>(), error!.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(TemporalErrors.IsUnavailable(error), Is.True);
            Assert.That(TemporalErrors.IsTemporalFailure(error), Is.True);
            Assert.That(error.Message, Does.Contain(options.Address));
        });
    }

    [Test]
    public void Grpc_statuses_are_told_apart_and_other_exceptions_are_not_Temporal_failures()
    {
        Assert.Multiple(() =>
        {
            Assert.That(TemporalErrors.IsUnavailable(new RpcException(RpcException.StatusCode.Unavailable, "down", null)), Is.True);
            Assert.That(TemporalErrors.IsUnavailable(new RpcException(RpcException.StatusCode.NotFound, "no such workflow", null)), Is.False);
            Assert.That(TemporalErrors.IsNotFound(new RpcException(RpcException.StatusCode.NotFound, "no such workflow", null)), Is.True);
            Assert.That(TemporalErrors.IsTemporalFailure(new RpcException(RpcException.StatusCode.PermissionDenied, "no", null)), Is.True);
            Assert.That(TemporalErrors.IsTemporalFailure(new InvalidOperationException("a bug of ours")), Is.False);
            Assert.That(TemporalErrors.IsUnavailable(new TimeoutException()), Is.False);
        });
    }
}
