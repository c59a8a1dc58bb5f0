using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Temporalio.Client;
using Temporalio.Runtime;

namespace OpsDesk.Workflows.Temporal;

/// <summary>
/// One Temporal client per process, connected on first use. A failed connect is not cached:
/// the next caller tries again, so a process that started while Temporal was down recovers.
/// The client runs on <paramref name="runtime"/> when one is registered (metrics on: the SDK's metrics
/// are recorded there), on the SDK's default runtime otherwise.
/// </summary>
public sealed partial class TemporalClientProvider(IOptions<TemporalOptions> options, ILogger<TemporalClientProvider> logger, TemporalRuntime? runtime = null) : IAsyncDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private ITemporalClient? client;

    /// <summary>How long one connect may take before it counts as Temporal being unreachable.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A client supplied from outside (tests, dev mode), used instead of connecting.</summary>
    public ITemporalClient? Override { get; set; }

    public async Task<ITemporalClient> GetAsync(CancellationToken ct)
    {
        if (Override is { } fixedClient)
            return fixedClient;
        if (client is { } existing)
            return existing;
        await gate.WaitAsync(ct);
        try
        {
            if (client is not null)
                return client;
            var o = options.Value;
            client = await TemporalConnect.ConnectAsync(o, ConnectTimeout, ct, runtime);
            LogConnected(logger, o.Address, o.Namespace);
            return client;
        }
        finally
        {
            gate.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        gate.Dispose();
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to Temporal at {Address}, namespace {Namespace}")]
    private static partial void LogConnected(ILogger logger, string address, string @namespace);
}
