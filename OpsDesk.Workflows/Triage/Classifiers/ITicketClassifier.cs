namespace OpsDesk.Workflows.Triage.Classifiers;

/// <summary>Classifies a ticket: summary, category, priority, entities.</summary>
public interface ITicketClassifier
{
    /// <summary>Recorded in <c>ticket_ai.provider</c>: local, openai or azure.</summary>
    string Provider { get; }

    /// <summary>
    /// Classifies the ticket. Throws <see cref="ClassifierException"/> for provider failures,
    /// with <see cref="ClassifierException.Permanent"/> telling whether a retry can help.
    /// </summary>
    Task<Classification> ClassifyAsync(TicketText ticket, CancellationToken ct);
}
