namespace OpsDesk.Api.Tickets;

/// <summary>
/// How ticket intake hands over to triage. Bound to the <c>Triage</c> section, which other options
/// classes share (the classifier settings); this one only reads <c>Triage:StartOnCreate</c>.
/// </summary>
public sealed class IntakeOptions
{
    public const string Section = "Triage";

    /// <summary>
    /// Ask Temporal to start the triage workflow right after the ticket commits (the default). When
    /// false, the API only commits and the worker's reconciler starts workflows for queued tickets:
    /// faster, steadier intake in exchange for triage starting up to a reconciler interval later.
    /// </summary>
    public bool StartOnCreate { get; set; } = true;
}
