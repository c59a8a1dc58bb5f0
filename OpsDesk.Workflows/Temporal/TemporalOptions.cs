using System.ComponentModel.DataAnnotations;

namespace OpsDesk.Workflows.Temporal;

/// <summary>The <c>Temporal</c> configuration section.</summary>
public sealed class TemporalOptions
{
    public const string Section = "Temporal";

    /// <summary>host:port of the Temporal frontend.</summary>
    [Required(ErrorMessage = "Temporal:Address must not be empty.")]
    public string Address { get; set; } = "localhost:7233";

    [Required(ErrorMessage = "Temporal:Namespace must not be empty.")]
    public string Namespace { get; set; } = "default";

    [Required(ErrorMessage = "Temporal:TaskQueue must not be empty.")]
    public string TaskQueue { get; set; } = TaskQueues.Default;

    /// <summary>Base URL of the Temporal UI, for links printed by the CLI and shown in the console.</summary>
    public string UiUrl { get; set; } = "http://localhost:8233";

    /// <summary>The Temporal UI page of a workflow run (the latest run when <paramref name="runId"/> is null).</summary>
    public string WorkflowUrl(string workflowId, string? runId = null)
    {
        var url = $"{UiUrl.TrimEnd('/')}/namespaces/{Uri.EscapeDataString(Namespace)}/workflows/{Uri.EscapeDataString(workflowId)}";
        return string.IsNullOrEmpty(runId) ? url : url + "/" + Uri.EscapeDataString(runId);
    }

    /// <summary>How long the API waits for a workflow start before leaving the ticket to the reconciler.</summary>
    [Range(0.1, 60, ErrorMessage = "Temporal:StartTimeoutSeconds must be from 0.1 to 60.")]
    public double StartTimeoutSeconds { get; set; } = 2;

    /// <summary>Optional API key (Temporal Cloud).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Use TLS to reach the frontend (implied by an API key).</summary>
    public bool Tls { get; set; }

    /// <summary>Register the OpsDesk search attributes the namespace lacks; defaults to true in Development.</summary>
    public bool? RegisterSearchAttributes { get; set; }

    /// <summary>
    /// Workflows the worker keeps in memory between tasks (the SDK's default when unset). 0 turns off
    /// sticky execution: every task replays its history, and a dead worker's workflows move to another
    /// worker at once instead of after the sticky timeout.
    /// </summary>
    [Range(0, 100_000)]
    public int? MaxCachedWorkflows { get; set; }
}
