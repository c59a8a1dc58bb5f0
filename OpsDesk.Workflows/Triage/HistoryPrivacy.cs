using OpsDesk.Workflows.Triage.Classifiers;
using OpsDesk.Workflows.Triage.Redaction;

namespace OpsDesk.Workflows.Triage;

/// <summary>
/// Keeps personal data out of Temporal history. A classification leaving the classify activity has
/// its personal values replaced by the ticket's redaction placeholders; the save activity rebuilds the
/// same placeholders from the same (immutable) ticket text and puts the originals back before writing.
/// </summary>
public static class HistoryPrivacy
{
    public static Classification Redact(Classification result, string subject, string description)
    {
        var redactor = ForTicket(subject, description);
        return result with
        {
            Summary = redactor.Redact(result.Summary),
            Entities = [.. result.Entities.Select(e => e with { Value = redactor.Redact(e.Value) })],
        };
    }

    public static Classification Restore(Classification result, string subject, string description)
    {
        var redactor = ForTicket(subject, description);
        return result with
        {
            Summary = redactor.Restore(result.Summary),
            Entities = [.. result.Entities.Select(e => e with { Value = redactor.Restore(e.Value) })],
        };
    }

    /// <summary>A redactor primed with the ticket's text, so placeholder numbers follow the ticket, not the result.</summary>
    private static PiiRedactor ForTicket(string subject, string description)
    {
        var redactor = new PiiRedactor();
        redactor.Redact(subject);
        redactor.Redact(description);
        return redactor;
    }
}
