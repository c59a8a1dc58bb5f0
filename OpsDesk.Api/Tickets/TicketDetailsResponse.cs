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

    /// <param name="staff">Agents and admins see every cited article; requesters only the public ones.</param>
    public TicketDetailsResponse(TicketDetails details, bool staff = true)
        : base(details.Ticket)
    {
        var ai = details.Ai;
        Ai = ai is null ? null : new TicketAiResponse(
            ai.Summary, ai.Category, ai.Priority, ParseJson(ai.Entities), Citations(ai.Citations, staff), ai.Confidence,
            ai.Language, ai.Sentiment, ai.Provider, ai.Model, ai.PromptVersion, UtcTime.Offset(ai.CreatedAt), UtcTime.Offset(ai.UpdatedAt));
        Events = details.Events.Select(e => new TicketEventResponse(e.Id, e.Type, ParseJson(e.Payload), UtcTime.Offset(e.OccurredAt))).ToList();
    }

    public TicketAiResponse? Ai { get; init; }

    public IReadOnlyList<TicketEventResponse> Events { get; init; } = [];

    /// <summary>The cited articles (id, slug, title, score, public); internal ones left out for requesters.</summary>
    private static JsonElement Citations(string json, bool staff)
    {
        var all = ParseJson(json);
        if (staff || all.ValueKind != JsonValueKind.Array)
            return all;
        var shown = all.EnumerateArray()
            .Where(c => c.ValueKind == JsonValueKind.Object && c.TryGetProperty("public", out var p) && p.ValueKind == JsonValueKind.True)
            .ToList();
        return JsonSerializer.SerializeToElement(shown, ApiJsonContext.Default.ListJsonElement);
    }

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
