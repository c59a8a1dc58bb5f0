namespace OpsDesk.Workflows;

/// <summary>Task queue names.</summary>
public static class TaskQueues
{
    public const string Default = "opsdesk";
}
