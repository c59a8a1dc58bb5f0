using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using OpsDesk.Api.Http;
using OpsDesk.Api.Security;

namespace OpsDesk.Api.OpenApi;

/// <summary>
/// The problems every documented operation can answer whatever its handler does: 429 from the rate
/// limiter (unless the endpoint opts out or limits are off) and 503 from <see cref="ApiExceptionHandler"/>
/// when the database is unreachable (each documented operation, and API-key authentication, reads it).
/// </summary>
public sealed class PlatformProblemsTransformer(IOptions<RateLimitOptions> rateLimits) : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (rateLimits.Value.Enabled && !metadata.OfType<DisableRateLimitingAttribute>().Any())
        {
            ProblemResponses.Add(operation, context.Document, StatusCodes.Status429TooManyRequests,
                "A rate limit was reached (per caller, all callers in flight, or anonymous creates per client IP). Retry after Retry-After seconds.",
                ProblemResponses.RetryAfter);
        }

        ProblemResponses.Add(operation, context.Document, StatusCodes.Status503ServiceUnavailable,
            "The ticket database is unreachable. Retry after Retry-After seconds; a create retried with the same Idempotency-Key makes no second ticket.",
            ProblemResponses.RetryAfter);
        return Task.CompletedTask;
    }
}
