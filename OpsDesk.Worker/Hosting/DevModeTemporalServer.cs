using Temporalio.Testing;

namespace OpsDesk.Worker.Hosting;

/// <summary>A running Temporal dev server that dev mode started; disposing it stops the server.</summary>
public sealed class DevModeTemporalServer(WorkflowEnvironment environment, string address, string uiUrl) : IAsyncDisposable
{
    /// <summary>host:port of the frontend.</summary>
    public string Address { get; } = address;

    public string UiUrl { get; } = uiUrl;

    public ValueTask DisposeAsync() => environment.DisposeAsync();
}
