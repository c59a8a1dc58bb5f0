using System.CommandLine;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OpsDesk.Bench.Telemetry;

/// <summary>
/// <c>opsdesk-bench otlp-sink</c>: a stand-in collector for the telemetry benchmark. Accepts OTLP/HTTP
/// (protobuf) posts to <c>/v1/traces</c>, <c>/v1/metrics</c> and <c>/v1/logs</c> (any path), reads each body
/// without copying or parsing it and answers an empty success, so the API under test pays the whole export (serialising, sending) and
/// the sink as little as a receiver can. Counts what it got on exit.
/// </summary>
public sealed class OtlpSinkCommand : BenchCommand
{
    private readonly Option<int> port = new("--port")
    {
        Description = "Loopback port to listen on (OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:PORT, OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf).",
        Required = true,
    };

    public OtlpSinkCommand()
        : base("otlp-sink", "Receive and drop OTLP/HTTP telemetry (the telemetry benchmark's collector).") => AddOptions(port);

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, parse.GetValue(port)));
        var app = builder.Build();
        long requests = 0, bytes = 0;
        // As cheap as a receiver can be (a real collector runs on another host and costs this one nothing):
        // no routing, no copy — the body is consumed where Kestrel buffered it, and counted.
        app.Run(async http =>
        {
            var body = http.Request.BodyReader;
            while (true)
            {
                var read = await body.ReadAsync(http.RequestAborted);
                Interlocked.Add(ref bytes, read.Buffer.Length);
                body.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                    break;
            }

            Interlocked.Increment(ref requests);
            // An empty Export*ServiceResponse: no partial success to report.
            http.Response.ContentType = "application/x-protobuf";
            http.Response.StatusCode = StatusCodes.Status200OK;
        });
        await app.StartAsync(ct);
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
            // Stopped (Ctrl+C, SIGTERM): report and exit.
        }

        await app.StopAsync(CancellationToken.None);
        await Console.Out.WriteLineAsync($"otlp-sink: {requests} export requests, {bytes} bytes");
        return 0;
    }
}
