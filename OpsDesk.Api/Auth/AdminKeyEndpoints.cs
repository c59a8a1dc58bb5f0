using Microsoft.AspNetCore.Http.HttpResults;
using OpsDesk.Api.Http;
using OpsDesk.Db;
using OpsDesk.Db.Agents;
using OpsDesk.Db.Auth;

namespace OpsDesk.Api.Auth;

/// <summary>Key administration under <c>/api/admin/keys</c>, for admins only.</summary>
public static partial class AdminKeyEndpoints
{
    public const int NameMax = 100;

    public static RouteGroupBuilder MapAdminKeyEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/keys").WithTags("Admin").RequireAuthorization(AuthPolicies.Admin);

        group.MapPost("/", CreateAsync)
            .WithName("CreateApiKey")
            .WithSummary("Create an API key")
            .WithDescription("Returns the key once; only its hash is stored. Names are unique among active keys, so a retried create cannot mint a second key (409). Agent and admin keys belong to an agent: agentId, or the agent named like the key (created when missing); an unknown, deactivated or other-role agent is a 400.")
            .DocumentsJsonBody<CreateApiKeyRequest>()
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/", ListAsync).WithName("ListApiKeys").WithSummary("List API keys (never the keys themselves)");
        group.MapGet("/{id:long}", GetAsync).WithName("GetApiKey").WithSummary("Read one API key's metadata")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{id:long}", RevokeAsync).WithName("RevokeApiKey").WithSummary("Revoke an API key; it stops working on the next request")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:long}/revoke", RevokeAsync).WithName("RevokeApiKeyPost").WithSummary("Revoke an API key (same as DELETE)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    internal static async Task<Results<Created<CreatedApiKeyResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpRequest http, ApiKeyRepository keys, ILoggerFactory loggers, CancellationToken ct)
    {
        var (request, problem) = await JsonBody.ReadAsync(http, AuthJsonContext.Default.CreateApiKeyRequest, ct);
        if (problem is not null)
            return problem;
        return await CreateKeyAsync(request!, keys, loggers, ct);
    }

    /// <summary>Validates and creates a key (returned once): the REST endpoint and the console's admin page.</summary>
    internal static async Task<Results<Created<CreatedApiKeyResponse>, ValidationProblem, ProblemHttpResult>> CreateKeyAsync(
        CreateApiKeyRequest request, ApiKeyRepository keys, ILoggerFactory loggers, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name))
            errors["name"] = ["name is required."];
        else if (name.Length > NameMax || name.Any(char.IsControl))
            errors["name"] = [$"name must be at most {NameMax} characters without control characters."];
        if (request.Role is null || !ApiKeyRoles.All.Contains(request.Role, StringComparer.Ordinal))
            errors["role"] = [$"role must be one of: {string.Join(", ", ApiKeyRoles.All)}."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        if (request.AgentId is not null && request.Role == ApiKeyRoles.Requester)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["agentId"] = ["A requester key belongs to no agent: leave agentId out."] });

        CreatedApiKey? created;
        try
        {
            created = await keys.CreateAsync(name!, request.Role!, request.AgentId, ct);
        }
        catch (AgentUnavailableException ex)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["agentId"] = [ex.Message] });
        }

        if (created is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Key name in use",
                detail: $"An active key is already named '{name}'. Revoke it first or choose another name.");
        }

        LogCreated(loggers.CreateLogger(typeof(AdminKeyEndpoints)), created.Id, created.Role);
        return TypedResults.Created($"/api/admin/keys/{created.Id}", new CreatedApiKeyResponse(
            created.Id, created.Name, created.Role, created.Prefix, created.Key, UtcTime.Offset(created.CreatedAt), created.AgentId));
    }

    internal static async Task<Ok<ApiKeyListResponse>> ListAsync(ApiKeyRepository keys, CancellationToken ct) =>
        TypedResults.Ok(new ApiKeyListResponse((await keys.ListAsync(ct)).Select(ApiKeyResponse.From).ToList()));

    internal static async Task<Results<Ok<ApiKeyResponse>, ProblemHttpResult>> GetAsync(long id, ApiKeyRepository keys, CancellationToken ct) =>
        await keys.GetAsync(id, ct) is { } row ? TypedResults.Ok(ApiKeyResponse.From(row)) : NotFound(id);

    internal static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(long id, ApiKeyRepository keys, ILoggerFactory loggers, CancellationToken ct)
    {
        var outcome = await keys.RevokeAsync(id, ct);
        if (outcome == RevokeOutcome.NotFound)
            return NotFound(id);
        if (outcome == RevokeOutcome.Revoked)
            LogRevoked(loggers.CreateLogger(typeof(AdminKeyEndpoints)), id);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "API key not found", detail: $"There is no API key {id}.");

    [LoggerMessage(Level = LogLevel.Information, Message = "API key {KeyId} created with role {Role}")]
    private static partial void LogCreated(ILogger logger, long keyId, string role);

    [LoggerMessage(Level = LogLevel.Information, Message = "API key {KeyId} revoked")]
    private static partial void LogRevoked(ILogger logger, long keyId);
}
