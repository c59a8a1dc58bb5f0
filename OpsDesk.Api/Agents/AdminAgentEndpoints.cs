using Microsoft.AspNetCore.Http.HttpResults;
using OpsDesk.Api.Auth;
using OpsDesk.Api.Http;
using OpsDesk.Api.Tickets;
using OpsDesk.Db.Agents;

namespace OpsDesk.Api.Agents;

/// <summary>Agent administration under <c>/api/admin/agents</c>, for admins only.</summary>
public static partial class AdminAgentEndpoints
{
    public static RouteGroupBuilder MapAdminAgentEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/agents").WithTags("Admin").RequireAuthorization(AuthPolicies.Admin);

        group.MapPost("/", CreateAsync)
            .WithName("CreateAgent")
            .WithSummary("Create an agent")
            .WithDescription("Idempotent by name: creating the same agent again answers 200 with it; a different agent holding the name or JWT subject is a 409.")
            .DocumentsJsonBody<CreateAgentRequest>()
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/", ListAsync).WithName("ListAgents").WithSummary("List agents, oldest first");
        group.MapGet("/{id:long}", GetAsync).WithName("GetAgent").WithSummary("Read one agent")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:long}/deactivate", DeactivateAsync).WithName("DeactivateAgent")
            .WithSummary("Deactivate an agent")
            .WithDescription("Its keys and JWT stop working on the next request and it can no longer be assigned; tickets assigned to it stay so. Deactivating twice is fine.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    internal static async Task<Results<Created<AgentResponse>, Ok<AgentResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpRequest http, AgentRepository agents, ILoggerFactory loggers, CancellationToken ct)
    {
        var (request, problem) = await JsonBody.ReadAsync(http, AuthJsonContext.Default.CreateAgentRequest, ct);
        if (problem is not null)
            return problem;

        var result = await CreateAgentAsync(request!, agents, loggers, ct);
        if (result.Result is Ok<AgentResponse>)
            http.HttpContext.Response.Headers[TicketEndpoints.ReplayedHeader] = "true";
        return result;
    }

    /// <summary>Validates and creates (or finds, idempotently by name) an agent: the REST endpoint and the console's admin page.</summary>
    internal static async Task<Results<Created<AgentResponse>, Ok<AgentResponse>, ValidationProblem, ProblemHttpResult>> CreateAgentAsync(
        CreateAgentRequest request, AgentRepository agents, ILoggerFactory loggers, CancellationToken ct)
    {
        var errors = AgentValidation.Validate(request.Name, request.Role, request.Email, request.JwtSubject, out var agent);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        var result = await agents.CreateAsync(agent!, ct);
        switch (result.Outcome)
        {
            case AgentCreateOutcome.Conflict:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "Agent name or JWT subject in use",
                    detail: $"Agent {result.Agent.Id} already holds that name or JWT subject with other details.");
            case AgentCreateOutcome.Existing:
                return TypedResults.Ok(AgentResponse.From(result.Agent));
            default:
                LogCreated(loggers.CreateLogger(typeof(AdminAgentEndpoints)), result.Agent.Id, result.Agent.Role);
                return TypedResults.Created($"/api/admin/agents/{result.Agent.Id}", AgentResponse.From(result.Agent));
        }
    }

    internal static async Task<Ok<AgentListResponse>> ListAsync(AgentRepository agents, CancellationToken ct) =>
        TypedResults.Ok(new AgentListResponse((await agents.ListAsync(ct)).Select(AgentResponse.From).ToList()));

    internal static async Task<Results<Ok<AgentResponse>, ProblemHttpResult>> GetAsync(long id, AgentRepository agents, CancellationToken ct) =>
        await agents.GetAsync(id, ct) is { } row ? TypedResults.Ok(AgentResponse.From(row)) : NotFound(id);

    internal static async Task<Results<Ok<AgentResponse>, ProblemHttpResult>> DeactivateAsync(long id, AgentRepository agents, ILoggerFactory loggers, CancellationToken ct)
    {
        if (await agents.DeactivateAsync(id, ct) is not { } row)
            return NotFound(id);
        LogDeactivated(loggers.CreateLogger(typeof(AdminAgentEndpoints)), id);
        return TypedResults.Ok(AgentResponse.From(row));
    }

    private static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Agent not found", detail: $"There is no agent {id}.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId} created with role {Role}")]
    private static partial void LogCreated(ILogger logger, long agentId, string role);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId} deactivated")]
    private static partial void LogDeactivated(ILogger logger, long agentId);
}
