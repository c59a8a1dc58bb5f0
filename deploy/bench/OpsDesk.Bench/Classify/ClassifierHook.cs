namespace OpsDesk.Bench.Classify;

/// <summary>Classifies one ticket (subject, description); throws when classification fails.</summary>
public delegate Task ClassifyTicket(string subject, string description, CancellationToken ct);

/// <summary>Where <c>opsdesk-bench classify</c> finds the local classifier it measures.</summary>
public static class ClassifierHook
{
    public const string MissingReason = "no local classifier in this build";

    /// <summary>The offline local classifier (the default triage provider) as a delegate.</summary>
    public static ClassifyTicket? Create()
    {
        var classifier = new OpsDesk.Workflows.Triage.Classifiers.Local.LocalTicketClassifier();
        return (subject, description, ct) => classifier.ClassifyAsync(new OpsDesk.Workflows.Triage.Classifiers.TicketText(0, subject, description, "web"), ct);
    }
}
