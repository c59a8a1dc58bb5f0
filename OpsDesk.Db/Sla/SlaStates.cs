namespace OpsDesk.Db.Sla;

/// <summary>Values of <c>tickets.sla_state</c>.</summary>
public static class SlaStates
{
    public const string Running = "running";
    public const string Warned = "warned";
    public const string Breached = "breached";
    public const string Paused = "paused";
    public const string Completed = "completed";

    public static readonly IReadOnlyList<string> All = [Running, Warned, Breached, Paused, Completed];
}
