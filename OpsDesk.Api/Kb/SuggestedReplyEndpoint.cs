using Microsoft.AspNetCore.Http.HttpResults;
using OpsDesk.Api.Auth;
using OpsDesk.Db.Kb;
using OpsDesk.Db.Tickets;
using OpsDesk.Workflows.Kb;

namespace OpsDesk.Api.Kb;

/// <summary><c>GET /api/tickets/{id}/suggested-reply</c>: a draft grounded on the ticket's cited articles, for agents.</summary>
public static class SuggestedReplyEndpoint
{
    public static RouteHandlerBuilder MapSuggestedReply(this RouteGroupBuilder tickets) =>
        tickets.MapGet("/{id:long}/suggested-reply", GetAsync)
            .WithName("GetSuggestedReply")
            .WithSummary("Draft a reply from the ticket's cited articles")
            .WithDescription("An LLM draft grounded on the cited knowledge-base articles (openai/azure), or the best article's answer section offline. Never sent: an agent reviews and sends it.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(AuthPolicies.Agent);

    internal static async Task<Results<Ok<SuggestedReplyResponse>, ProblemHttpResult>> GetAsync(long id, TicketRepository tickets, ReplyDrafter drafter, CancellationToken ct)
    {
        var details = await tickets.GetDetailsAsync(id, ct);
        if (details is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Ticket not found", detail: $"There is no ticket {id}.");
        var reply = await drafter.DraftAsync(details.Ticket.Subject, details.Ticket.Description, details.Ai?.Citations, ct);
        return TypedResults.Ok(new SuggestedReplyResponse(
            reply.Draft, reply.Source, reply.Model,
            reply.Articles.Select(a => new KbArticleSummaryResponse(a.Id, a.Slug, a.Title, a.Public ? KbVisibility.Public : KbVisibility.Internal, a.Score)).ToList()));
    }
}
