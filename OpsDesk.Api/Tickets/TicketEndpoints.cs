using System.Diagnostics;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OpsDesk.Api.Auth;
using OpsDesk.Api.Comments;
using OpsDesk.Api.Http;
using OpsDesk.Api.Kb;
using OpsDesk.Api.Security;
using OpsDesk.Db.Auth;
using OpsDesk.Db.Tickets;
using OpsDesk.Workflows.Telemetry;
using OpsDesk.Workflows.Triage;

namespace OpsDesk.Api.Tickets;

/// <summary>The tickets REST resource: create, list and read.</summary>
public static class TicketEndpoints
{
    public const int DefaultLimit = 25;
    public const int MaxLimit = 100;
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotency-Replayed";
    public const string AssigneeMe = "me";
    public const string AssigneeNone = "none";
    public const string AwaitingAgent = "agent";

    public static RouteGroupBuilder MapTicketEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/tickets").WithTags("Tickets");

        group.MapPost("/", CreateAsync)
            .WithName("CreateTicket")
            .WithSummary("Open a ticket")
            .WithDescription("Stores the ticket and its ticket.created event in one transaction, then starts its triage. " +
                             "Send an Idempotency-Key header to make retries safe.")
            .DocumentsJsonBody<CreateTicketRequest>()
            .DocumentsIdempotencyKey()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .RequireAuthorization(AuthPolicies.CreateTicket)
            .RequireRateLimiting(RateLimitPolicies.AnonymousCreate);

        group.MapGet("/", ListAsync)
            .WithName("ListTickets")
            .WithSummary("List tickets, newest first")
            .WithDescription("Keyset pagination: pass nextCursor back as cursor. Filters combine: status, priority, category, source, " +
                             "assignee (me, none or an agent id), tag, sla (warned or breached), awaiting (agent: the last public comment is the requester's), " +
                             "and q, full-text search over subject and description. Requesters see only their own tickets.")
            .RequireAuthorization(AuthPolicies.Reader);

        group.MapGet("/{id:long}", GetAsync)
            .WithName("GetTicket")
            .WithSummary("Read a ticket with its AI triage and timeline")
            .WithDescription("Staff read any ticket; a requester its own, or any caller the one whose access token it sends (X-Ticket-Token or ?token=). Others get 404.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(AuthPolicies.TicketReader);

        group.MapUpdateTicket();
        group.MapCommentEndpoints();
        group.MapSuggestedReply();

        return group;
    }

    internal static async Task<Results<Created<CreatedTicketResponse>, Ok<CreatedTicketResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpRequest http, TicketCreator creator, CancellationToken ct)
    {
        var (request, problem) = await JsonBody.ReadAsync(http, ApiJsonContext.Default.CreateTicketRequest, ct);
        if (problem is not null)
            return problem;

        var key = http.Headers.TryGetValue(IdempotencyKeyHeader, out var keys) ? keys.ToString() : null;
        var result = await creator.CreateAsync(request!, key, Caller.From(http.HttpContext.User), ct);
        switch (result.Outcome)
        {
            case TicketCreateOutcome.Invalid:
                return TypedResults.ValidationProblem(result.Errors!);
            case TicketCreateOutcome.KeyUsedByAnotherCaller:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status422UnprocessableEntity,
                    title: "Idempotency key reused by another caller",
                    detail: $"The {IdempotencyKeyHeader} was already used by another caller. Use a new key for a new ticket.");
            case TicketCreateOutcome.KeyConflict:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status422UnprocessableEntity,
                    title: "Idempotency key reused with a different request",
                    detail: $"The {IdempotencyKeyHeader} was already used for ticket {result.Ticket!.Id} with a different body. Use a new key for a new ticket.");
            case TicketCreateOutcome.Replayed:
                http.HttpContext.Response.Headers[ReplayedHeader] = "true";
                return TypedResults.Ok(new CreatedTicketResponse(result.Ticket!, result.AccessToken!));
            default:
                return TypedResults.Created($"/api/tickets/{result.Ticket!.Id}", new CreatedTicketResponse(result.Ticket!, result.AccessToken!));
        }
    }

    internal static async Task<Results<Ok<TicketPageResponse>, ValidationProblem>> ListAsync(
        ClaimsPrincipal user,
        TicketRepository tickets,
        string? status,
        string? priority,
        string? category,
        string? source,
        string? q,
        string? assignee,
        string? tag,
        string? sla,
        string? awaiting,
        string? limit,
        string? cursor,
        CancellationToken ct)
    {
        var caller = Caller.From(user);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        CheckOneOf(errors, "status", status, TicketStatuses.All);
        CheckOneOf(errors, "priority", priority, Priorities.All);
        CheckOneOf(errors, "category", category, Categories.All);
        CheckOneOf(errors, "source", source, TicketSources.All);
        CheckOneOf(errors, "sla", sla, TicketRepository.SlaFilterStates);
        CheckOneOf(errors, "awaiting", awaiting, [AwaitingAgent]);
        if (tag is not null && !TicketTags.IsValid(tag))
            errors["tag"] = [$"tag must be a lower-case slug ([a-z0-9][a-z0-9-]*) of at most {TicketTags.MaxLength} characters."];
        long? assigneeId = null;
        if (assignee is not null and not AssigneeNone)
        {
            if (assignee == AssigneeMe)
                assigneeId = caller.AgentId ?? (long?)-1;
            else if (long.TryParse(assignee, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var agent) && agent > 0)
                assigneeId = agent;
            else
                errors["assignee"] = ["assignee must be me, none or an agent's id."];
            if (assigneeId == -1)
                errors["assignee"] = ["assignee=me needs credentials that belong to an agent (an agent or admin key, or a JWT mapped to an agent)."];
        }

        var (take, before) = CheckPaging(errors, limit, cursor);

        var search = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        if (search is { Length: > 200 })
            errors["q"] = ["q must be at most 200 characters."];
        else if (TicketValidation.HasNul(search))
            errors["q"] = [TicketValidation.NulMessage("q")];

        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        // Staff list everything; a requester only what it created (a caller with no owner id matches nothing).
        var query = (caller.IsStaff
            ? new TicketListQuery(status, priority, category, source, search, take, before)
            : new TicketListQuery(status, priority, category, source, search, take, before, caller.KeyId ?? (caller.Owner is null ? -1 : null), caller.KeyId is null ? caller.Owner : null))
            with
        {
            AssigneeId = assigneeId,
            Unassigned = assignee == AssigneeNone,
            Tag = tag,
            SlaState = sla,
            AwaitingAgent = awaiting == AwaitingAgent,
        };
        var page = await tickets.ListAsync(query, ct);
        var items = page.Items.Select(r => new TicketResponse(r)).ToList();
        return TypedResults.Ok(new TicketPageResponse(items, page.NextBeforeId is { } next ? Cursor.Encode(next) : null));
    }

    internal static async Task<Results<Ok<TicketDetailsResponse>, ProblemHttpResult>> GetAsync(
        long id, HttpRequest http, TicketRepository tickets, TicketAccessRepository access, CancellationToken ct)
    {
        // Someone else's ticket answers exactly like a missing one, so ids cannot be probed.
        var caller = Caller.From(http.HttpContext.User);
        var details = await CanReadAsync(caller, id, http, access, ct) ? await tickets.GetDetailsAsync(id, caller.SeesInternalNotes, ct) : null;
        return details is null ? TicketNotFound(id) : TypedResults.Ok(new TicketDetailsResponse(details, caller.IsStaff));
    }

    /// <summary>Staff read every ticket; anyone else only their own or the one whose access token they send.</summary>
    internal static async Task<bool> CanReadAsync(Caller caller, long id, HttpRequest http, TicketAccessRepository access, CancellationToken ct) =>
        caller.IsStaff || (await access.GetAsync(id, ct) is { } owner && caller.CanRead(owner, TicketTokens.Read(http)));

    /// <summary>Someone else's ticket answers exactly like a missing one, so ids cannot be probed.</summary>
    internal static ProblemHttpResult TicketNotFound(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Ticket not found", detail: $"There is no ticket {id}.");

    /// <summary>limit (1–<see cref="MaxLimit"/>, default <see cref="DefaultLimit"/>) and an opaque keyset cursor, for every paged list.</summary>
    internal static (int Take, long? Position) CheckPaging(Dictionary<string, string[]> errors, string? limit, string? cursor)
    {
        var take = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out take) || take is < 1 or > MaxLimit))
            errors["limit"] = [$"limit must be a whole number from 1 to {MaxLimit}."];

        long? position = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (Cursor.TryDecode(cursor, out var id))
                position = id;
            else
                errors["cursor"] = ["cursor is not a cursor this API issued."];
        }

        return (take, position);
    }

    private static void CheckOneOf(Dictionary<string, string[]> errors, string name, string? value, IReadOnlyList<string> allowed)
    {
        if (value is not null && !allowed.Contains(value, StringComparer.Ordinal))
            errors[name] = [$"{name} must be one of: {string.Join(", ", allowed)}."];
    }
}
