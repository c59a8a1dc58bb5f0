using System.Globalization;

namespace OpsDesk.Workflows;

/// <summary>Workflow ids come from business keys; this is the one place that builds them.</summary>
public static class WorkflowIds
{
    public static string Triage(long ticketId) => "triage-" + ticketId.ToString(CultureInfo.InvariantCulture);

    public static string Sla(long ticketId) => "sla-" + ticketId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The embedding of one version of one knowledge-base article.</summary>
    public static string KbEmbed(long articleId, int version) =>
        "kb-embed-" + articleId.ToString(CultureInfo.InvariantCulture) + "-v" + version.ToString(CultureInfo.InvariantCulture);

    /// <summary>The ticket id of a <c>triage-{id}</c> or <c>sla-{id}</c> workflow id, or null.</summary>
    public static long? TicketIdOf(string workflowId)
    {
        var dash = workflowId.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && long.TryParse(workflowId.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }
}
