using OpsDesk.Workflows;
using OpsDesk.Workflows.Triage;
using Temporalio.Converters;
using Temporalio.Exceptions;

namespace OpsDesk.Tests.Workflows.Triage;

public sealed class TriageDecisionTests
{
    [Test]
    public void Workflow_ids_come_from_the_ticket_id_and_read_back()
    {
        Assert.That(WorkflowIds.Triage(42), Is.EqualTo("triage-42"));
        Assert.That(WorkflowIds.Sla(42), Is.EqualTo("sla-42"));
        Assert.That(WorkflowIds.TicketIdOf("triage-42"), Is.EqualTo(42));
        Assert.That(WorkflowIds.TicketIdOf("nonsense"), Is.Null);
    }

    [Test]
    public void Classification_retries_are_bounded_to_about_ten_minutes_and_skip_permanent_errors()
    {
        var options = TriagePolicy.Classify("x");

        Assert.That(options.ScheduleToCloseTimeout, Is.EqualTo(TimeSpan.FromMinutes(10)));
        Assert.That(options.RetryPolicy!.NonRetryableErrorTypes, Does.Contain(TriagePolicy.PermanentClassifierError));
        Assert.That(options.RetryPolicy.BackoffCoefficient, Is.GreaterThan(1));
        Assert.That(options.StartToCloseTimeout, Is.LessThan(options.ScheduleToCloseTimeout));
    }

    [Test]
    public void Start_options_reuse_a_running_triage_and_only_rerun_a_failed_one()
    {
        var options = TriageWorkflowStart.Options(7, "email", "opsdesk", CancellationToken.None);

        Assert.That(options.Id, Is.EqualTo("triage-7"));
        Assert.That(options.IdConflictPolicy, Is.EqualTo(Temporalio.Api.Enums.V1.WorkflowIdConflictPolicy.UseExisting));
        Assert.That(options.IdReusePolicy, Is.EqualTo(Temporalio.Api.Enums.V1.WorkflowIdReusePolicy.AllowDuplicateFailedOnly));
        Assert.That(options.StaticSummary, Is.EqualTo("Triage ticket #7 (email)"));
    }

    [Test]
    public void Permanent_failure_reason_is_the_classifier_reason_with_its_attempt()
    {
        var failure = Activity(new ApplicationFailureException("401", TriagePolicy.PermanentClassifierError, nonRetryable: true, details: ["unauthorized", 1]));

        Assert.That(TriageFailure.From(failure), Is.EqualTo(new TriageFailure("unauthorized", "401", 1)));
    }

    [Test]
    public void Transient_failure_that_ended_the_activity_means_retries_were_exhausted()
    {
        var failure = Activity(new ApplicationFailureException("429", TriagePolicy.TransientClassifierError, details: ["rate_limited", 9]));

        Assert.That(TriageFailure.From(failure).Reason, Is.EqualTo("retries_exhausted"));
    }

    [Test]
    public void Missing_ticket_reason_is_ticket_not_found()
    {
        var failure = Activity(new ApplicationFailureException("gone", TicketNotFound.ErrorType, nonRetryable: true));

        Assert.That(TriageFailure.From(failure).Reason, Is.EqualTo("ticket_not_found"));
    }

    private static ActivityFailureException Activity(ApplicationFailureException inner)
    {
        // Round-trip through the failure converter, as a real activity failure reaches the workflow.
        var converter = DataConverter.Default;
        var proto = converter.FailureConverter.ToFailure(inner, converter.PayloadConverter);
        var wrapper = new Temporalio.Api.Failure.V1.Failure
        {
            Message = "activity error",
            Cause = proto,
            ActivityFailureInfo = new Temporalio.Api.Failure.V1.ActivityFailureInfo { ActivityType = new() { Name = "ClassifyTicket" } },
        };
        return (ActivityFailureException)converter.FailureConverter.ToException(wrapper, converter.PayloadConverter);
    }
}
