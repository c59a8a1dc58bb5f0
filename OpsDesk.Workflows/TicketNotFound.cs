using Temporalio.Exceptions;

namespace OpsDesk.Workflows;

/// <summary>The one failure every activity throws for a ticket id that does not exist: permanent, so never retried.</summary>
public static class TicketNotFound
{
    /// <summary>Its error type, listed in the activities' non-retryable error types.</summary>
    public const string ErrorType = "TicketNotFound";

    public static ApplicationFailureException Failure(long ticketId) =>
        new($"Ticket {ticketId} does not exist.", ErrorType, nonRetryable: true);
}
