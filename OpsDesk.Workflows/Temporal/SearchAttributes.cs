using Temporalio.Common;

namespace OpsDesk.Workflows.Temporal;

/// <summary>The typed search attributes OpsDesk workflows upsert. None carries PII.</summary>
public static class OpsDeskSearchAttributes
{
    public static readonly SearchAttributeKey<long> TicketId = SearchAttributeKey.CreateLong("TicketId");
    public static readonly SearchAttributeKey<string> TicketPriority = SearchAttributeKey.CreateKeyword("TicketPriority");
    public static readonly SearchAttributeKey<string> TicketCategory = SearchAttributeKey.CreateKeyword("TicketCategory");
    public static readonly SearchAttributeKey<string> TriageState = SearchAttributeKey.CreateKeyword("TriageState");

    /// <summary>Everything a namespace must have registered, for dev-mode registration and checks.</summary>
    public static IReadOnlyList<SearchAttributeKey> All => [TicketId, TicketPriority, TicketCategory, TriageState];
}
