namespace OpsDesk.Worker.Commands.Load;

/// <summary>Classifies one ticket (subject, description); throws when classification fails.</summary>
public delegate Task ClassifyTicket(string subject, string description, CancellationToken ct);

/// <summary>Where <c>opsdesk load classify</c> finds the local classifier it measures.</summary>
public static class ClassifierHook
{
    public const string MissingReason =
        "OpsDesk.Workflows.Triage.Classifiers.LocalClassifier is not part of this build";

    /// <summary>The local classifier as a delegate, or null when this build has none.</summary>
    /// <remarks>
    /// TODO(lead): when OpsDesk.Workflows.Triage.Classifiers.LocalClassifier is merged, construct it here
    /// (with whatever options it needs) and return e.g.
    /// <c>(subject, description, ct) =&gt; classifier.ClassifyAsync(new(subject, description), ct)</c>.
    /// Nothing else needs to change: the command, the report and deploy/bench/run.sh pick it up.
    /// </remarks>
    public static ClassifyTicket? Create() => null;
}
