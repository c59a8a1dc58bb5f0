using System.Globalization;
using OpsDesk.Api.Web;

namespace OpsDesk.Api.Console;

/// <summary><c>GET /console/live</c>: the <see cref="TicketEventStream"/> as Server-Sent Events (ids and types only).</summary>
public static class TicketEventStreamEndpoint
{
    /// <summary>Maps the stream: staff only; <c>?ticket=id</c> narrows it to one ticket.</summary>
    internal static IEndpointRouteBuilder MapTicketEventStream(this IEndpointRouteBuilder app)
    {
        app.MapGet(TicketEventStream.Path, StreamAsync).RequireAuthorization(WebAuth.Console).ExcludeFromDescription();
        return app;
    }

    private static async Task StreamAsync(HttpContext http, TicketEventStream stream, long? ticket)
    {
        var ct = http.RequestAborted;
        http.Response.Headers.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-store";
        var reader = stream.Subscribe(ct);
        // A comment line first, so the browser reports the stream open at once.
        await http.Response.WriteAsync(": live\n\n", ct);
        await http.Response.Body.FlushAsync(ct);
        try
        {
            await foreach (var e in reader.ReadAllAsync(ct))
            {
                if (ticket is { } id && e.TicketId != id)
                    continue;
                var data = string.Create(CultureInfo.InvariantCulture, $"{{\"id\":{e.Id},\"ticketId\":{e.TicketId},\"type\":\"{e.Type}\"}}");
                await http.Response.WriteAsync($"event: ticket\ndata: {data}\n\n", ct);
                await http.Response.Body.FlushAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The page closed.
        }
    }
}
