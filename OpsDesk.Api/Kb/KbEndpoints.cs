using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OpsDesk.Api.Auth;
using OpsDesk.Api.Http;
using OpsDesk.Api.Security;
using OpsDesk.Db.Kb;
using OpsDesk.Workflows.Kb;

namespace OpsDesk.Api.Kb;

/// <summary>
/// The knowledge base: admins write articles, agents search all of them, anyone reads public ones;
/// the portal's create form asks for suggestions and records whether they deflected the ticket.
/// </summary>
public static class KbEndpoints
{
    public const int DefaultLimit = 10;
    public const int MaxLimit = 50;

    public static RouteGroupBuilder MapKbEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/kb").WithTags("Knowledge base");

        group.MapPost("/", CreateAsync)
            .WithName("CreateKbArticle")
            .WithSummary("Write a knowledge-base article")
            .WithDescription($"Markdown body of at most {KbLimits.MaxBodyLength} characters; slug unique (409 when taken). Rendered HTML is sanitised. The article is embedded for semantic search in the background.")
            .DocumentsJsonBody<KbArticleRequest>()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAuthorization(AuthPolicies.Admin);

        group.MapGet("/", ListAsync)
            .WithName("SearchKbArticles")
            .WithSummary("Search or list knowledge-base articles")
            .WithDescription("With q: hybrid search (full-text + semantic, fused by reciprocal rank), best first, with scores. Without q: articles by slug. Public and internal articles.")
            .RequireAuthorization(AuthPolicies.Agent);

        group.MapGet("/suggest", SuggestAsync)
            .WithName("SuggestKbArticles")
            .WithSummary("Public articles that may answer what a requester is typing")
            .WithDescription("For the portal's create form: up to three public articles relevant to q (3–2000 characters). No credentials needed; rate-limited per client IP.")
            .RequireAuthorization(AuthPolicies.Public)
            .RequireRateLimiting(RateLimitPolicies.AnonymousKb);

        group.MapPost("/deflections", RecordDeflectionAsync)
            .WithName("RecordKbDeflection")
            .WithSummary("Record which suggestions the portal showed and whether the requester still submitted")
            .WithDescription("Idempotent per sessionKey: records of one form session merge (submitted, once true, stays true). Only public article ids are kept. No credentials needed; rate-limited per client IP.")
            .DocumentsJsonBody<KbDeflectionRequest>()
            .RequireAuthorization(AuthPolicies.Public)
            .RequireRateLimiting(RateLimitPolicies.AnonymousKb);

        group.MapGet("/{id:long}", GetAsync)
            .WithName("GetKbArticle")
            .WithSummary("Read an article (Markdown and sanitised HTML)")
            .WithDescription("Public articles are readable by anyone; internal ones by agents and admins (404 for others).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(AuthPolicies.Public);

        group.MapPut("/{id:long}", UpdateAsync)
            .WithName("UpdateKbArticle")
            .WithSummary("Replace an article")
            .WithDescription("The version goes up when anything changed (and the article is embedded again); the same content again leaves it as is.")
            .DocumentsJsonBody<KbArticleRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAuthorization(AuthPolicies.Admin);

        group.MapDelete("/{id:long}", DeleteAsync)
            .WithName("DeleteKbArticle")
            .WithSummary("Delete an article and its vectors")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(AuthPolicies.Admin);

        return group;
    }

    /// <summary>Reads and validates an article body: the input, or the problem to answer with.</summary>
    private static async Task<(KbArticleInput? Input, IResult? Problem)> ReadArticleAsync(HttpRequest http, CancellationToken ct)
    {
        var (request, problem) = await JsonBody.ReadAsync(http, ApiJsonContext.Default.KbArticleRequest, ct);
        if (problem is not null)
            return (null, problem);
        var errors = KbArticleValidation.Validate(request!.Slug, request.Title, request.Body, request.Tags, request.Visibility, out var input);
        return errors.Count > 0 ? (null, TypedResults.ValidationProblem(errors)) : (input, null);
    }

    internal static async Task<Results<Created<KbArticleResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpRequest http, KbRepository articles, CancellationToken ct)
    {
        var (input, problem) = await ReadArticleAsync(http, ct);
        if (problem is not null)
            return Problem(problem);

        var result = await articles.InsertAsync(input!, ct);
        return result.Outcome == KbWriteOutcome.SlugTaken
            ? SlugTaken(input!.Slug)
            : TypedResults.Created($"/api/kb/{result.Article!.Id}", KbArticleResponse.From(result.Article));
    }

    internal static async Task<Results<Ok<KbArticleResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        long id, HttpRequest http, KbRepository articles, CancellationToken ct)
    {
        var (input, problem) = await ReadArticleAsync(http, ct);
        if (problem is not null)
            return Problem(problem);

        var result = await articles.UpdateAsync(id, input!, ct);
        return result.Outcome switch
        {
            KbWriteOutcome.NotFound => NotFound(id),
            KbWriteOutcome.SlugTaken => SlugTaken(input!.Slug),
            _ => TypedResults.Ok(KbArticleResponse.From(result.Article!)),
        };
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(long id, KbRepository articles, CancellationToken ct) =>
        await articles.DeleteAsync(id, ct) ? TypedResults.NoContent() : NotFound(id);

    internal static async Task<Results<Ok<KbArticleResponse>, ProblemHttpResult>> GetAsync(long id, ClaimsPrincipal user, KbRepository articles, CancellationToken ct)
    {
        var article = await articles.GetAsync(id, ct);
        return article is not null && (article.IsPublic || Caller.From(user).IsStaff)
            ? TypedResults.Ok(KbArticleResponse.From(article))
            : NotFound(id);
    }

    internal static async Task<Results<Ok<KbArticleListResponse>, ValidationProblem>> ListAsync(
        string? q, string? limit, KbRepository articles, KbRetriever retriever, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var take = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > MaxLimit))
            errors["limit"] = [$"limit must be a whole number from 1 to {MaxLimit}."];
        var query = CheckQuery(q, errors, required: false);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        if (query is null)
        {
            var rows = await articles.ListAsync(includeInternal: true, take, ct);
            return TypedResults.Ok(new KbArticleListResponse(rows.Select(r => new KbArticleSummaryResponse(r.Id, r.Slug, r.Title, r.Visibility, null)).ToList()));
        }

        var hits = await retriever.SearchAsync(query, includeInternal: true, take, ct);
        return TypedResults.Ok(new KbArticleListResponse(hits.Select(Summary).ToList()));
    }

    internal static async Task<Results<Ok<KbArticleListResponse>, ValidationProblem>> SuggestAsync(string? q, KbRetriever retriever, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var query = CheckQuery(q, errors, required: true);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);
        var hits = await retriever.RelevantAsync(query!, includeInternal: false, ct);
        return TypedResults.Ok(new KbArticleListResponse(hits.Select(Summary).ToList()));
    }

    internal static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> RecordDeflectionAsync(
        HttpRequest http, KbDeflectionRepository deflections, CancellationToken ct)
    {
        var (request, problem) = await JsonBody.ReadAsync(http, ApiJsonContext.Default.KbDeflectionRequest, ct);
        if (problem is not null)
            return problem;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var key = request!.SessionKey?.Trim();
        if (string.IsNullOrEmpty(key) || key.Length > 200)
            errors["sessionKey"] = ["sessionKey is required: a random value (a UUID) per form session, at most 200 characters."];
        if (request.ShownArticleIds is { Count: > KbDeflectionRepository.MaxShown })
            errors["shownArticleIds"] = [$"at most {KbDeflectionRepository.MaxShown} article ids."];
        if (request.Submitted is null)
            errors["submitted"] = ["submitted is required (true when the requester still opened a ticket)."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        await deflections.RecordAsync(key!, request.ShownArticleIds ?? [], request.OpenedArticleId, request.Submitted!.Value, ct);
        return TypedResults.NoContent();
    }

    /// <summary>A body problem as the one result type both writes declare (validation problems stay 400 with their fields).</summary>
    private static ProblemHttpResult Problem(IResult problem) => problem switch
    {
        ProblemHttpResult p => p,
        ValidationProblem v => TypedResults.Problem(v.ProblemDetails),
        _ => throw new InvalidOperationException("unexpected problem result"),
    };

    private static KbArticleSummaryResponse Summary(KbHit h) =>
        new(h.Id, h.Slug, h.Title, h.Public ? KbVisibility.Public : KbVisibility.Internal, h.Score);

    private static string? CheckQuery(string? q, Dictionary<string, string[]> errors, bool required)
    {
        var query = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        if (query is null && required)
            errors["q"] = ["q is required."];
        else if (query is { Length: > KbLimits.MaxQueryLength })
            errors["q"] = [$"q must be at most {KbLimits.MaxQueryLength} characters."];
        else if (query is not null && query.Contains('\0', StringComparison.Ordinal))
            errors["q"] = ["q must not contain NUL characters."];
        else if (required && query is { Length: < 3 })
            errors["q"] = ["q must be at least 3 characters."];
        return query;
    }

    private static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Article not found", detail: $"There is no article {id}.");

    private static ProblemHttpResult SlugTaken(string slug) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Slug already used", detail: $"Another article has the slug '{slug}'.");
}
