using System.ComponentModel.DataAnnotations;

namespace OpsDesk.Workflows.Triage;

/// <summary>The <c>Triage</c> configuration section.</summary>
public sealed class TriageOptions
{
    public const string Section = "Triage";

    /// <summary>local (default, offline), openai or azure.</summary>
    [Required(ErrorMessage = "Triage:Provider must not be empty.")]
    [RegularExpression("^(local|openai|azure)$", ErrorMessage = "Triage:Provider must be one of local, openai, azure.")]
    public string Provider { get; set; } = "local";

    /// <summary>When false the API only commits; the reconciler starts the workflow.</summary>
    public bool StartOnCreate { get; set; } = true;

    /// <summary>Tickets waiting for their workflow start after commit; beyond it the reconciler starts them.</summary>
    [Range(1, 1_000_000)]
    public int StartQueueCapacity { get; set; } = 10_000;

    /// <summary>Workflow starts in flight at once from the API's start queue.</summary>
    [Range(1, 256)]
    public int StartConcurrency { get; set; } = 32;

    /// <summary>On shutdown, how long queued starts may still go out before they are left to the reconciler.</summary>
    [Range(0, 60)]
    public double StartQueueDrainSeconds { get; set; } = 5;

    /// <summary>Reconciler period in seconds.</summary>
    [Range(1, 3600, ErrorMessage = "Triage:ReconcileEverySeconds must be from 1 to 3600.")]
    public int ReconcileEverySeconds { get; set; } = 30;

    /// <summary>A ticket still queued after this many seconds gets its workflow started by the reconciler.</summary>
    [Range(1, 86400, ErrorMessage = "Triage:ReconcileAfterSeconds must be from 1 to 86400.")]
    public int ReconcileAfterSeconds { get; set; } = 15;
}
