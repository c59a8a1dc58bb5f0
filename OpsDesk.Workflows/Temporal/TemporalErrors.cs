using Temporalio.Exceptions;

namespace OpsDesk.Workflows.Temporal;

/// <summary>
/// The one way OpsDesk tells Temporal's failures apart, by type and gRPC status (never by namespace
/// name, never by catching <see cref="InvalidOperationException"/>): connects go through
/// <see cref="TemporalConnect"/>, which reports a failed connect as <see cref="TemporalUnavailableException"/>.
/// </summary>
public static class TemporalErrors
{
    /// <summary>Temporal is down, overloaded or did not answer in time: the same call may work later.</summary>
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        TemporalUnavailableException => true,
        RpcTimeoutOrCanceledException => true,
        RpcException
        {
            Code: RpcException.StatusCode.Unavailable or RpcException.StatusCode.DeadlineExceeded
            or RpcException.StatusCode.ResourceExhausted or RpcException.StatusCode.Aborted or RpcException.StatusCode.Cancelled
        } => true,
        _ => false,
    };

    /// <summary>Any answer or failure from Temporal or its SDK (unavailable, refused, not found, a failed workflow), as opposed to a bug here.</summary>
    public static bool IsTemporalFailure(Exception exception) => exception is TemporalException;

    /// <summary>The workflow (or namespace) does not exist.</summary>
    public static bool IsNotFound(Exception exception) => exception is RpcException { Code: RpcException.StatusCode.NotFound };
}
