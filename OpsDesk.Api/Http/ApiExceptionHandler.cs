using Microsoft.AspNetCore.Diagnostics;
using OpsDesk.Db.Resilience;

namespace OpsDesk.Api.Http;

/// <summary>
/// Turns exceptions into problem details: the database being unreachable is a 503 with
/// Retry-After (the client should come back), anything else a 500 without internals.
/// </summary>
public sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        int status;
        string title;
        string detail;
        if (exception is BadHttpRequestException bad)
        {
            status = bad.StatusCode;
            title = "Bad request";
            detail = bad.Message;
        }
        else if (DbErrors.IsTransient(exception))
        {
            LogDatabaseUnavailable(logger, exception.GetType().Name, exception.Message);
            status = StatusCodes.Status503ServiceUnavailable;
            title = "Service unavailable";
            detail = "The ticket database is unreachable. Retry later.";
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody reads the answer.
            status = 499;
            title = "Client closed request";
            detail = "";
        }
        else
        {
            status = StatusCodes.Status500InternalServerError;
            title = "Internal server error";
            detail = "An unexpected error occurred. It has been logged with the trace id.";
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable: {Kind}: {Reason}")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string kind, string reason);
}
