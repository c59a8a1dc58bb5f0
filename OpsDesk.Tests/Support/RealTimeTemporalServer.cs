using System.Diagnostics;
using System.Net.Sockets;

namespace OpsDesk.Tests.Support;

/// <summary>
/// The shared test server's <c>run &lt;port&gt;</c> without time skipping: an in-memory Temporal
/// server in real time, as a developer runs it beside <c>opsdesk dev</c>. Killed on dispose.
/// </summary>
public sealed class RealTimeTemporalServer : IAsyncDisposable
{
    private readonly Process process;

    private RealTimeTemporalServer(Process process, int port)
    {
        this.process = process;
        Address = $"127.0.0.1:{port}";
    }

    public string Address { get; }

    /// <summary>Starts it and waits until it accepts connections; the test is skipped without a <c>run</c> script.</summary>
    public static async Task<RealTimeTemporalServer> StartAsync()
    {
        if (LiveTemporal.TestServerPath is not { } run)
        {
            Assert.Ignore($"needs the test server's run script in {LiveTemporal.TestServerVariable}");
            throw new InvalidOperationException("unreachable");
        }

        var port = Ports.Free();
        var start = new ProcessStartInfo(run) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RealTimeTemporalServer(process, port);
        await LiveTemporal.WaitForAsync(async () =>
        {
            if (process.HasExited)
                Assert.Fail($"{run} {port} exited with {process.ExitCode}");
            using var tcp = new TcpClient();
            try
            {
                await tcp.ConnectAsync("127.0.0.1", port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), $"the Temporal test server to listen on {port}");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
