namespace OpsDesk.Db.Tickets;

/// <summary>Values of <c>tickets.triage_status</c>.</summary>
public static class TriageStatuses
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Classified = "classified";
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> All = [Queued, Running, Classified, Failed];
}
