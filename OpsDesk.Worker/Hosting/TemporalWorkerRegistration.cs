namespace OpsDesk.Worker.Hosting;

/// <summary>The name of the worker options (workflows, DI-scoped activities) registered with the hosting extension.</summary>
public sealed record TemporalWorkerRegistration(string OptionsName);
