namespace OpsDesk.Worker.Hosting;

/// <summary>What the worker's components report about themselves, for the readiness check.</summary>
public sealed class WorkerStatus
{
    private volatile bool temporalConnected;

    public bool TemporalConnected
    {
        get => temporalConnected;
        set => temporalConnected = value;
    }
}
