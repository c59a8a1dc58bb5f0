using Temporalio.Common;
using Temporalio.Workflows;

namespace OpsDesk.Workflows.Triage;

/// <summary>
/// Timeouts and retry policies of the triage's activities, in one place so they are deliberate and
/// testable. Transient provider failures retry with backoff for about ten minutes in total.
/// </summary>
public static class TriagePolicy
{
    /// <summary>Error types a triage activity throws for failures that retrying cannot fix.</summary>
    public const string PermanentClassifierError = "ClassifierPermanent";
    public const string TransientClassifierError = "ClassifierTransient";

    /// <summary>Total time budget for classification, retries included.</summary>
    public static readonly TimeSpan ClassifyBudget = TimeSpan.FromMinutes(10);

    public static ActivityOptions Database(string summary) => new()
    {
        StartToCloseTimeout = TimeSpan.FromSeconds(30),
        // A database outage is waited out, not turned into a failed triage.
        ScheduleToCloseTimeout = TimeSpan.FromHours(1),
        RetryPolicy = new RetryPolicy
        {
            InitialInterval = TimeSpan.FromSeconds(1),
            BackoffCoefficient = 2,
            MaximumInterval = TimeSpan.FromMinutes(1),
            NonRetryableErrorTypes = [TicketNotFound.ErrorType],
        },
        Summary = summary,
    };

    /// <summary>How often a running classification heartbeats; a third of <see cref="ClassifyHeartbeatTimeout"/>.</summary>
    public static readonly TimeSpan ClassifyHeartbeatEvery = TimeSpan.FromSeconds(5);

    /// <summary>An attempt that has not heartbeaten for this long is lost (its worker died) and retried.</summary>
    public static readonly TimeSpan ClassifyHeartbeatTimeout = TimeSpan.FromSeconds(15);

    public static ActivityOptions Classify(string summary) => new()
    {
        StartToCloseTimeout = TimeSpan.FromSeconds(90),
        HeartbeatTimeout = ClassifyHeartbeatTimeout,
        ScheduleToCloseTimeout = ClassifyBudget,
        RetryPolicy = new RetryPolicy
        {
            InitialInterval = TimeSpan.FromSeconds(2),
            BackoffCoefficient = 2,
            MaximumInterval = TimeSpan.FromMinutes(1),
            NonRetryableErrorTypes = [PermanentClassifierError, TicketNotFound.ErrorType],
        },
        Summary = summary,
    };
}
