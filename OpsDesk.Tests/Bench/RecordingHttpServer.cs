using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OpsDesk.Tests.Bench;

/// <summary>
/// A tiny Kestrel server on 127.0.0.1 and a free port that answers every request and records what it
/// received. Every <see cref="FailEvery"/>-th request gets a 500; the first request can be held for
/// <see cref="StallFirst"/> to make the load generator see a stall.
/// </summary>
public sealed class RecordingHttpServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private long received;
    private long failed;

    private RecordingHttpServer(WebApplication app) => this.app = app;

    public int FailEvery { get; init; }

    public TimeSpan StallFirst { get; init; }

    public Uri BaseAddress { get; private set; } = null!;

    public long Received => Interlocked.Read(ref received);

    public long Failed => Interlocked.Read(ref failed);

    public ConcurrentQueue<(string Method, string PathAndQuery, string? IdempotencyKey, string? ApiKey, string Body)> Requests { get; } = new();

    public static async Task<RecordingHttpServer> StartAsync(int failEvery = 0, TimeSpan stallFirst = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new RecordingHttpServer(app) { FailEvery = failEvery, StallFirst = stallFirst };
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address);
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var n = Interlocked.Increment(ref received);
        Requests.Enqueue((context.Request.Method, context.Request.Path + context.Request.QueryString,
            context.Request.Headers["Idempotency-Key"].FirstOrDefault(), context.Request.Headers.Authorization.FirstOrDefault(), body));
        if (n == 1 && StallFirst > TimeSpan.Zero)
            await Task.Delay(StallFirst);
        if (FailEvery > 0 && n % FailEvery == 0)
        {
            Interlocked.Increment(ref failed);
            context.Response.StatusCode = 500;
            await context.Response.WriteAsync("boom");
            return;
        }

        context.Response.StatusCode = context.Request.Method == "POST" ? 201 : 200;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("{\"ok\":true}");
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
