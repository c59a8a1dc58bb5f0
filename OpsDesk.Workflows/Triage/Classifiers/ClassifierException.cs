namespace OpsDesk.Workflows.Triage.Classifiers;

/// <summary>
/// A provider failure. <see cref="Permanent"/> failures (401/403/400, refusal, output that fails
/// the schema after one repair) are not retried; transient ones (429, 5xx, timeouts) are.
/// </summary>
public sealed class ClassifierException : Exception
{
    public ClassifierException()
    {
        Reason = "unknown";
    }

    public ClassifierException(string message)
        : base(message)
    {
        Reason = "unknown";
    }

    public ClassifierException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = "unknown";
    }

    public ClassifierException(string reason, string message, bool permanent, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
        Permanent = permanent;
    }

    /// <summary>A short code: unauthorized, forbidden, bad_request, refusal, schema, rate_limited, server_error, timeout.</summary>
    public string Reason { get; }

    public bool Permanent { get; }
}
