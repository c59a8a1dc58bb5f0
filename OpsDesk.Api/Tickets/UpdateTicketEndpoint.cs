using Microsoft.AspNetCore.Http.HttpResults;
using OpsDesk.Api.Auth;
using OpsDesk.Api.Http;
using OpsDesk.Db.Tickets;

namespace OpsDesk.Api.Tickets;

/// <summary>
/// <c>PATCH /api/tickets/{id}</c>: an agent changes status, priority, assignee and/or tags. The change
/// and its timeline events commit together; the SLA workflow learns of them from the timeline.
/// </summary>
public static class UpdateTicketEndpoint
{
    public static RouteHandlerBuilder MapUpdateTicket(this RouteGroupBuilder group) =>
        group.MapPatch("/{id:long}", UpdateAsync)
            .WithName("UpdateTicket")
            .WithSummary("Change a ticket's status, priority, assignee or tags")
            .WithDescription("Status moves open ⇄ pending, open/pending → resolved/closed, resolved → open/closed; closed is final. " +
                             "assigneeId: an active agent (ticket.assigned), or null to unassign; an unknown or deactivated agent is a 400. " +
                             "tags replaces the set, addTags/removeTags edit it (ticket.tags_changed with what was added and removed). " +
                             "Setting the values the ticket already has changes nothing and writes no event, so retries are safe.")
            .DocumentsJsonBody<UpdateTicketRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAuthorization(AuthPolicies.Agent);

    internal static async Task<Results<Ok<TicketResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        long id, HttpRequest http, TicketChangeRepository changes, CancellationToken ct)
    {
        var (request, problem) = await JsonBody.ReadAsync(http, ApiJsonContext.Default.UpdateTicketRequest, ct);
        if (problem is not null)
            return problem;

        var errors = Validate(request!, out var change);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        var result = await changes.ChangeAsync(id, change!, ct);
        return result.Outcome switch
        {
            TicketChangeOutcome.NotFound =>
                TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Ticket not found", detail: $"There is no ticket {id}."),
            TicketChangeOutcome.InvalidTransition =>
                TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Change not allowed", detail: result.Reason),
            TicketChangeOutcome.InvalidAssignee =>
                TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["assigneeId"] = [result.Reason!] }),
            TicketChangeOutcome.TooManyTags =>
                TypedResults.ValidationProblem(new Dictionary<string, string[]> { [request!.Tags is null ? "addTags" : "tags"] = [result.Reason!] }),
            _ => TypedResults.Ok(new TicketResponse(result.Ticket!)),
        };
    }

    internal static Dictionary<string, string[]> Validate(UpdateTicketRequest request, out TicketChange? change)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request is { Status: null, Priority: null, SetsAssignee: false, Tags: null, AddTags: null, RemoveTags: null })
            errors["body"] = ["Send at least one of status, priority, assigneeId, tags, addTags, removeTags."];
        if (request.Status is not null && !TicketStatuses.All.Contains(request.Status, StringComparer.Ordinal))
            errors["status"] = [$"status must be one of: {string.Join(", ", TicketStatuses.All)}."];
        if (request.Priority is not null && !Priorities.IsValid(request.Priority))
            errors["priority"] = [$"priority must be one of: {string.Join(", ", Priorities.All)}."];
        if (request.AssigneeId is <= 0)
            errors["assigneeId"] = ["assigneeId must be an agent's id, or null to unassign."];
        if (request.Tags is not null && (request.AddTags is not null || request.RemoveTags is not null))
            errors["tags"] = ["Send either tags (the whole set) or addTags/removeTags, not both."];
        CheckTags(errors, "tags", request.Tags);
        CheckTags(errors, "addTags", request.AddTags);
        CheckTags(errors, "removeTags", request.RemoveTags);
        change = errors.Count == 0
            ? new TicketChange(request.Status, request.Priority)
            {
                SetsAssignee = request.SetsAssignee,
                AssigneeId = request.AssigneeId,
                Tags = request.Tags,
                AddTags = request.AddTags ?? [],
                RemoveTags = request.RemoveTags ?? [],
            }
            : null;
        return errors;
    }

    private static void CheckTags(Dictionary<string, string[]> errors, string field, IReadOnlyList<string>? tags)
    {
        if (tags is null || errors.ContainsKey(field))
            return;
        var bad = tags.Where(t => !TicketTags.IsValid(t)).ToList();
        if (bad.Count > 0)
            errors[field] = [$"Tags are lower-case slugs ([a-z0-9][a-z0-9-]*) of at most {TicketTags.MaxLength} characters; not: {string.Join(", ", bad.Select(t => t is null ? "null" : $"'{t}'"))}."];
        else if (tags.Distinct(StringComparer.Ordinal).Count() > TicketTags.MaxPerTicket)
            errors[field] = [$"A ticket has at most {TicketTags.MaxPerTicket} tags."];
    }
}
