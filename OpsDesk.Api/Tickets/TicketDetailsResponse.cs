using System.Text.Json;
using OpsDesk.Db;
using OpsDesk.Db.Tickets;

namespace OpsDesk.Api.Tickets;

/// <summary>A ticket with its AI triage (null until triaged) and its timeline, oldest first.</summary>
public sealed class TicketDetailsResponse : TicketResponse
{
    public TicketDetailsResponse()
    {
    }

    public TicketDetailsResponse(TicketDetails details)
        : base(details.Ticket)
    {
        var ai = details.Ai;
        Ai = ai is null ? null : new TicketAiResponse(
            ai.Summary, ai.Category, ai.Priority, ParseJson(ai.Entities), ParseJson(ai.Citations), ai.Confidence,
            ai.Language, ai.Sentiment, ai.Provider, ai.Model, ai.PromptVersion, UtcTime.Offset(ai.CreatedAt), UtcTime.Offset(ai.UpdatedAt));
        Events = details.Events.Select(e => new TicketEventResponse(e.Id, e.Type, ParseJson(e.Payload), UtcTime.Offset(e.OccurredAt))).ToList();
    }

    public TicketAiResponse? Ai { get; init; }

    public IReadOnlyList<TicketEventResponse> Events { get; init; } = [];

    private static JsonElement ParseJson(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }
}

/// <summary>The AI triage of a ticket.</summary>
public sealed record TicketAiResponse(
    string Summary,
    string Category,
    string Priority,
    JsonElement Entities,
    JsonElement Citations,
    float? Confidence,
    string? Language,
    string? Sentiment,
    string Provider,
    string? Model,
    string? PromptVersion,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>One timeline event.</summary>
public sealed record TicketEventResponse(long Id, string Type, JsonElement Payload, DateTimeOffset OccurredAt);

/// <summary>A page of tickets, newest first. Pass <see cref="NextCursor"/> as <c>cursor</c> for the next page; null on the last one.</summary>
public sealed record TicketPageResponse(IReadOnlyList<TicketResponse> Items, string? NextCursor);
