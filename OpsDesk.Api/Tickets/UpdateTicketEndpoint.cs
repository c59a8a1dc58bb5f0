using Microsoft.AspNetCore.Http.HttpResults;
using OpsDesk.Api.Auth;
using OpsDesk.Api.Http;
using OpsDesk.Db.Tickets;

namespace OpsDesk.Api.Tickets;

/// <summary>
/// <c>PATCH /api/tickets/{id}</c>: an agent changes status and/or priority. The change and its
/// timeline events commit together; the SLA workflow learns of them from the timeline.
/// </summary>
public static class UpdateTicketEndpoint
{
    public static RouteHandlerBuilder MapUpdateTicket(this RouteGroupBuilder group) =>
        group.MapPatch("/{id:long}", UpdateAsync)
            .WithName("UpdateTicket")
            .WithSummary("Change a ticket's status or priority")
            .WithDescription("Status moves open ⇄ pending, open/pending → resolved/closed, resolved → open/closed; closed is final. " +
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
            _ => TypedResults.Ok(new TicketResponse(result.Ticket!)),
        };
    }

    internal static Dictionary<string, string[]> Validate(UpdateTicketRequest request, out TicketChange? change)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.Status is null && request.Priority is null)
            errors["body"] = ["Send at least one of status, priority."];
        if (request.Status is not null && !TicketStatuses.All.Contains(request.Status, StringComparer.Ordinal))
            errors["status"] = [$"status must be one of: {string.Join(", ", TicketStatuses.All)}."];
        if (request.Priority is not null && !Priorities.IsValid(request.Priority))
            errors["priority"] = [$"priority must be one of: {string.Join(", ", Priorities.All)}."];
        change = errors.Count == 0 ? new TicketChange(request.Status, request.Priority) : null;
        return errors;
    }
}
