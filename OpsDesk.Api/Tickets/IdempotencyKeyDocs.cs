using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace OpsDesk.Api.Tickets;

/// <summary>Documents the create's Idempotency-Key header (read from the request, so the framework cannot see it) and the replay answer's header.</summary>
public static class IdempotencyKeyDocs
{
    public const string TicketReplay = "A retry with an Idempotency-Key that already made this ticket: the same ticket and a fresh access token.";

    /// <param name="replayDescription">What the 200 of a replay returns; null: the ticket create's answer.</param>
    public static RouteHandlerBuilder DocumentsIdempotencyKey(this RouteHandlerBuilder builder, string? replayDescription = null) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = TicketEndpoints.IdempotencyKeyHeader,
                In = ParameterLocation.Header,
                Description = replayDescription is null
                    ? $"1–{TicketValidation.IdempotencyKeyMax} printable ASCII characters, a new random value (a UUID) per ticket and the same on every retry of it. " +
                      "Required for callers without credentials."
                    : $"1–{TicketValidation.IdempotencyKeyMax} printable ASCII characters, a new random value (a UUID) per request and the same on every retry of it.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = TicketValidation.IdempotencyKeyMax },
            });
            if (operation.Responses?.TryGetValue("200", out var replayed) == true && replayed is OpenApiResponse ok)
            {
                ok.Description = replayDescription ?? TicketReplay;
                ok.Headers = new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal)
                {
                    [TicketEndpoints.ReplayedHeader] = new OpenApiHeader { Description = "true on a replay.", Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                };
            }

            return Task.CompletedTask;
        });
}
