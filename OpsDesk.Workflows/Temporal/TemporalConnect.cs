using OpsDesk.Workflows.Telemetry;
using Temporalio.Client;
using Temporalio.Runtime;

namespace OpsDesk.Workflows.Temporal;

/// <summary>How every OpsDesk process connects to Temporal from <see cref="TemporalOptions"/>.</summary>
public static class TemporalConnect
{
    /// <summary>
    /// Connects, giving up after <paramref name="timeout"/>. A connect that fails or times out throws
    /// <see cref="TemporalUnavailableException"/>; cancellation of <paramref name="ct"/> throws
    /// <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <param name="runtime">The core runtime the client runs on; null: the SDK's default one.</param>
    public static async Task<ITemporalClient> ConnectAsync(TemporalOptions o, TimeSpan timeout, CancellationToken ct, TemporalRuntime? runtime = null)
    {
        var connect = new TemporalClientConnectOptions(o.Address)
        {
            Namespace = o.Namespace,
            ApiKey = string.IsNullOrEmpty(o.ApiKey) ? null : o.ApiKey,
            Tls = o.Tls || !string.IsNullOrEmpty(o.ApiKey) ? new TlsOptions() : null,
            Runtime = runtime,
            // The trace context travels through Temporal headers (workers built on this client too).
            Interceptors = [TemporalTracing.Instance],
        };
        try
        {
            return await TemporalClient.ConnectAsync(connect).WaitAsync(timeout, ct);
        }
        catch (TimeoutException ex)
        {
            throw new TemporalUnavailableException(o.Address, ex);
        }
        catch (InvalidOperationException ex)
        {
            // The SDK's native core reports a failed connect (refused, DNS, TLS) as InvalidOperationException;
            // this call does nothing else, so here, and only here, that type means "unreachable".
            throw new TemporalUnavailableException(o.Address, ex);
        }
    }
}
