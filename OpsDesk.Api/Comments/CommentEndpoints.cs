using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using OpsDesk.Api.Auth;
using OpsDesk.Api.Http;
using OpsDesk.Api.Tickets;
using OpsDesk.Db;
using OpsDesk.Db.Auth;
using OpsDesk.Db.Comments;
using OpsDesk.Db.Events;
using OpsDesk.Db.Tickets;

namespace OpsDesk.Api.Comments;

/// <summary>
/// <c>/api/tickets/{id}/comments</c>: the conversation. Agents and admins write public replies and
/// internal notes; the requester (its key, or the ticket's access token) writes public comments and
/// never sees a note.
/// </summary>
public static class CommentEndpoints
{
    public const int BodyMax = 10_000;

    public static RouteGroupBuilder MapCommentEndpoints(this RouteGroupBuilder tickets)
    {
        tickets.MapPost("/{id:long}/comments", CreateAsync)
            .WithName("CreateComment")
            .WithSummary("Reply on a ticket, or leave an internal note")
            .WithDescription("One comment row and one ticket.comment_added event in one transaction. Agents and admins write public replies or " +
                             "internal notes (public: false) and may set the status with a reply (both events, one transaction; a transition that is " +
                             "not allowed is a 409 and writes no comment). The requester writes public comments only (public: false or a status is a 403); " +
                             "its comment reopens a pending or resolved ticket. A closed ticket takes no comments (409). Send an Idempotency-Key to make retries safe.")
            .DocumentsJsonBody<CreateCommentRequest>()
            .DocumentsIdempotencyKey("A retry with an Idempotency-Key that already made this comment: the same comment.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .RequireAuthorization(AuthPolicies.TicketReader);

        tickets.MapGet("/{id:long}/comments", ListAsync)
            .WithName("ListComments")
            .WithSummary("Read a ticket's conversation, oldest first")
            .WithDescription("Keyset pagination: pass nextCursor back as cursor. Agents and admins see internal notes; the requester sees public comments only.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(AuthPolicies.TicketReader);
        return tickets;
    }

    internal static async Task<Results<Created<CreatedCommentResponse>, Ok<CreatedCommentResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        long id, HttpRequest http, CommentRepository comments, TicketAccessRepository access, CancellationToken ct)
    {
        var caller = Caller.From(http.HttpContext.User);
        if (!await TicketEndpoints.CanReadAsync(caller, id, http, access, ct))
            return TicketEndpoints.TicketNotFound(id);

        var (request, problem) = await JsonBody.ReadAsync(http, ApiJsonContext.Default.CreateCommentRequest, ct);
        if (problem is not null)
            return problem;

        var key = http.Headers.TryGetValue(TicketEndpoints.IdempotencyKeyHeader, out var keys) ? keys.ToString() : null;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var body = TicketValidation.CheckText(errors, "body", request!.Body, BodyMax);
        if (request.Public is null)
            errors["public"] = ["public is required: true for a reply the requester sees, false for an internal note."];
        if (request.Status is not null && !TicketStatuses.All.Contains(request.Status, StringComparer.Ordinal))
            errors["status"] = [$"status must be one of: {string.Join(", ", TicketStatuses.All)}."];
        TicketValidation.CheckIdempotencyKey(errors, key);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        if (!caller.IsStaff && (request.Public == false || request.Status is not null))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Requesters write public comments only",
                detail: "Internal notes (public: false) and status changes are for agents and admins.");
        }

        var kind = caller.IsStaff ? CommentAuthorKind.Agent : CommentAuthorKind.Requester;
        var agentId = caller.IsStaff ? caller.AgentId : null;
        // The author is part of the request: the same key from another caller is a conflict, not a replay.
        var hash = key is null ? null : TicketValidation.Hash(
            body, request.Public!.Value ? "public" : "note", request.Status, WireNames.Of(kind),
            agentId?.ToString(CultureInfo.InvariantCulture), caller.KeyId?.ToString(CultureInfo.InvariantCulture), caller.Owner);
        var result = await comments.AddAsync(new NewComment(id, kind, agentId, request.Public!.Value, body!, request.Status, key, hash), ct);
        switch (result.Outcome)
        {
            case AddCommentOutcome.NotFound:
                return TicketEndpoints.TicketNotFound(id);
            case AddCommentOutcome.InvalidTransition:
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Change not allowed", detail: result.Reason);
            case AddCommentOutcome.KeyConflict:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status422UnprocessableEntity,
                    title: "Idempotency key reused with a different request",
                    detail: $"The {TicketEndpoints.IdempotencyKeyHeader} was already used on this ticket for another comment (or by another caller). Use a new key for a new comment.");
            case AddCommentOutcome.Replayed:
                http.HttpContext.Response.Headers[TicketEndpoints.ReplayedHeader] = "true";
                return TypedResults.Ok(new CreatedCommentResponse(result.Comment!, result.Ticket!.Status));
            default:
                return TypedResults.Created($"/api/tickets/{id}/comments", new CreatedCommentResponse(result.Comment!, result.Ticket!.Status));
        }
    }

    internal static async Task<Results<Ok<CommentPageResponse>, ValidationProblem, ProblemHttpResult>> ListAsync(
        long id, HttpRequest http, CommentRepository comments, TicketAccessRepository access, string? limit, string? cursor, CancellationToken ct)
    {
        var caller = Caller.From(http.HttpContext.User);
        if (!await TicketEndpoints.CanReadAsync(caller, id, http, access, ct) || (caller.IsStaff && await access.GetAsync(id, ct) is null))
            return TicketEndpoints.TicketNotFound(id);

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var (take, after) = TicketEndpoints.CheckPaging(errors, limit, cursor);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        var page = await comments.ListAsync(id, caller.SeesInternalNotes, after, take, ct);
        return TypedResults.Ok(new CommentPageResponse(
            page.Items.Select(c => new CommentResponse(c)).ToList(), page.NextAfterId is { } next ? Cursor.Encode(next) : null));
    }
}
