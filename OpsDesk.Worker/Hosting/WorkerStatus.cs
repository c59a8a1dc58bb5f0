namespace OpsDesk.Worker.Hosting;

/// <summary>What the worker's components report about themselves, for the readiness check.</summary>
public sealed class WorkerStatus
{
    private volatile bool temporalConnected;
    private volatile string? searchAttributesProblem;

    public bool TemporalConnected
    {
        get => temporalConnected;
        set => temporalConnected = value;
    }

    /// <summary>Why the search attributes could not be registered, or null when they were (or registration is off).</summary>
    public string? SearchAttributesProblem
    {
        get => searchAttributesProblem;
        set => searchAttributesProblem = value;
    }
}
