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

    /// <summary>An exception as one line: its type and message.</summary>
    public static string Describe(Exception ex) => $"{ex.GetType().Name}: {ex.Message}".ReplaceLineEndings(" ");

    /// <summary>A workflow status as people read it: running, failed, timed out, continued as new, ...</summary>
    public static string StatusName(Temporalio.Api.Enums.V1.WorkflowExecutionStatus status) => status switch
    {
        Temporalio.Api.Enums.V1.WorkflowExecutionStatus.TimedOut => "timed out",
        Temporalio.Api.Enums.V1.WorkflowExecutionStatus.ContinuedAsNew => "continued as new",
        _ => status.ToString().ToLowerInvariant(),
    };

    /// <summary>The workflow (or namespace) does not exist.</summary>
    public static bool IsNotFound(Exception exception) => exception is RpcException { Code: RpcException.StatusCode.NotFound };
}
