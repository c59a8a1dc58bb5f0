using Temporalio.Exceptions;

namespace OpsDesk.Workflows.Triage;

/// <summary>Why a triage failed, as recorded in <c>ticket.triage_failed</c> and the workflow failure.</summary>
/// <param name="Reason">A short code: unauthorized, refusal, schema, retries_exhausted, ticket_not_found, ...</param>
/// <param name="Attempts">Classification attempts made, when known (0 otherwise).</param>
public sealed record TriageFailure(string Reason, string Message, int Attempts)
{
    /// <summary>
    /// Reads the reason from an activity failure: a non-retryable application failure carries the
    /// classifier's reason code and attempt in its details; a timeout means the retry budget ran out.
    /// </summary>
    public static TriageFailure From(ActivityFailureException failure)
    {
        switch (failure.InnerException)
        {
            case ApplicationFailureException app when app.ErrorType == TicketNotFound.ErrorType:
                return new TriageFailure("ticket_not_found", app.Message, 0);
            case ApplicationFailureException app:
                var reason = app.Details.Count > 0 ? app.Details.ElementAt<string>(0) : app.ErrorType ?? "error";
                var attempts = app.Details.Count > 1 ? app.Details.ElementAt<int>(1) : 0;
                // A retryable failure that still ended the activity means the retry budget ran out.
                var exhausted = app.ErrorType == TriagePolicy.TransientClassifierError;
                return new TriageFailure(exhausted ? "retries_exhausted" : reason, app.Message, attempts);
            case TimeoutFailureException timeout:
                var last = timeout.InnerException?.Message;
                return new TriageFailure(
                    "retries_exhausted",
                    $"Classification did not succeed within {TriagePolicy.ClassifyBudget.TotalMinutes:0} minutes" + (last is null ? "." : $"; last error: {last}"),
                    0);
            default:
                return new TriageFailure("error", failure.InnerException?.Message ?? failure.Message, 0);
        }
    }
}
