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

    public const string AnonymousKeyRequired =
        "Creates without credentials must send an Idempotency-Key header: a new random value (a UUID) per ticket, " +
        "the same one on every retry of it, so a retry after a 503 or a lost answer cannot make a second ticket.";

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
        HttpRequest http, TicketRepository tickets, TicketAccessRepository access, TriageStartQueue triage, IOptions<TriageOptions> triageOptions, CancellationToken ct)
    {
        var (request, problem) = await JsonBody.ReadAsync(http, ApiJsonContext.Default.CreateTicketRequest, ct);
        if (problem is not null)
            return problem;

        var key = http.Headers.TryGetValue(IdempotencyKeyHeader, out var keys) ? keys.ToString() : null;
        var caller = Caller.From(http.HttpContext.User);
        var errors = TicketValidation.Validate(request!, out var ticket, key);
        // A 503 can come after the commit (the answer, not the write, was lost). An anonymous caller can
        // neither list its tickets nor be told apart from others, so its only safe retry is by key.
        if (caller.Role is null && string.IsNullOrWhiteSpace(key))
            errors[IdempotencyKeyHeader] = [AnonymousKeyRequired];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        var accessToken = Secrets.NewTicketToken();
        var accessTokenHash = Secrets.Hash(accessToken);
        var result = await tickets.InsertAsync(
            ticket! with { CreatedByKeyId = caller.KeyId, CreatedBySubject = caller.KeyId is null ? caller.Owner : null, AccessTokenHash = accessTokenHash }, ct);
        if (result.Outcome == InsertOutcome.Replayed && !await ReissueTokenAsync(access, caller, result.Ticket.Id, accessTokenHash, ct))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "Idempotency key reused by another caller",
                detail: $"The {IdempotencyKeyHeader} was already used by another caller. Use a new key for a new ticket.");
        }

        Activity.Current?.SetTag(OpsDeskTelemetry.TicketIdTag, result.Ticket.Id);
        switch (result.Outcome)
        {
            case InsertOutcome.KeyConflict:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status422UnprocessableEntity,
                    title: "Idempotency key reused with a different request",
                    detail: $"The {IdempotencyKeyHeader} was already used for ticket {result.Ticket.Id} with a different body. Use a new key for a new ticket.");
            case InsertOutcome.Replayed:
                http.HttpContext.Response.Headers[ReplayedHeader] = "true";
                return TypedResults.Ok(new CreatedTicketResponse(result.Ticket, accessToken));
            default:
                // The ticket is committed; its triage starts after this answer, off the request path. If
                // Temporal is down, the queue full or Triage:StartOnCreate false, it stays queued and the
                // reconciler starts it.
                OpsDeskMetrics.TicketCreated(result.Ticket.Source);
                if (triageOptions.Value.StartOnCreate)
                    triage.TryEnqueue(result.Ticket.Id, result.Ticket.Source);
                return TypedResults.Created($"/api/tickets/{result.Ticket.Id}", new CreatedTicketResponse(result.Ticket, accessToken));
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

    /// <summary>A replay must come from the ticket's creator; it then gets a fresh access token (only hashes are stored).</summary>
    private static async Task<bool> ReissueTokenAsync(TicketAccessRepository access, Caller caller, long ticketId, byte[] tokenHash, CancellationToken ct)
    {
        if (await access.GetAsync(ticketId, ct) is not { } owner || !caller.Created(owner))
            return false;
        await access.SetAccessTokenAsync(ticketId, tokenHash, ct);
        return true;
    }

    private static void CheckOneOf(Dictionary<string, string[]> errors, string name, string? value, IReadOnlyList<string> allowed)
    {
        if (value is not null && !allowed.Contains(value, StringComparer.Ordinal))
            errors[name] = [$"{name} must be one of: {string.Join(", ", allowed)}."];
    }
}
