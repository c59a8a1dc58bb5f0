using System.Diagnostics;
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
            // The exception handler middleware does not log an exception that a handler handled: this is its one record.
            // The path only (a query string may carry a ticket token); the trace id is the one the problem details carry.
            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path.Value ?? "", Activity.Current?.Id ?? httpContext.TraceIdentifier);
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception answered with 500: {Method} {Path}, trace id {TraceId}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path, string traceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable: {Kind}: {Reason}")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string kind, string reason);
}
