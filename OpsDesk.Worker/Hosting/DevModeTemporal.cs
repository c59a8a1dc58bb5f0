using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using OpsDesk.Workflows.Temporal;
using Temporalio.Testing;

namespace OpsDesk.Worker.Hosting;

/// <summary>
/// The Temporal dev server that dev mode starts when no <c>Temporal:Address</c> is configured:
/// the Temporal CLI's <c>server start-dev</c>, through the SDK, with the OpsDesk search attributes
/// registered and its state kept in the data dir.
/// </summary>
public static class DevModeTemporal
{
    /// <summary>Preferred ports: the CLI's defaults, so other tools find the server without flags.</summary>
    public const int PreferredPort = 7233;

    public const int PreferredUiPort = 8233;

    /// <summary>Starts the dev server; throws <see cref="DevModeException"/> with advice when it cannot.</summary>
    public static async Task<DevModeTemporalServer> StartAsync(
        string dataDir, string? cliPath, string @namespace, TimeSpan startupTimeout, CancellationToken ct)
    {
        var port = PortOrFree(PreferredPort);
        var uiPort = PortOrFree(PreferredUiPort, exclude: port);
        var options = new WorkflowEnvironmentStartLocalOptions
        {
            TargetHost = $"127.0.0.1:{port}",
            Namespace = @namespace,
            UI = true,
            UIPort = uiPort,
            SearchAttributes = [.. OpsDeskSearchAttributes.All],
            DownloadDirectory = Path.Combine(dataDir, "temporal-cli"),
            DevServerOptions = new DevServerOptions
            {
                ExistingPath = cliPath,
                // Workflow history survives restarts, like the tickets in PostgreSQL.
                DatabaseFilename = Path.Combine(dataDir, "temporal.db"),
                LogLevel = "error",
                StartupTimeout = startupTimeout,
            },
        };
        Directory.CreateDirectory(dataDir);
        if (cliPath is not null)
            await CheckCliAsync(cliPath, ct);

        WorkflowEnvironment env;
        try
        {
            env = await WorkflowEnvironment.StartLocalAsync(options).WaitAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var how = cliPath is null
                ? "The SDK downloads the Temporal CLI on first use; that needs internet access."
                : $"The Temporal CLI at {cliPath} did not start a server.";
            throw new DevModeException(
                $"could not start a Temporal dev server: {ex.Message}\n" +
                $"  {how}\n" +
                "  Pass --temporal-cli PATH (a 'temporal' binary from https://temporal.io/setup/install-temporal-cli),\n" +
                "  or point dev mode at a running server with --temporal-address HOST:PORT (or Temporal__Address).", ex);
        }

        return new DevModeTemporalServer(env, $"127.0.0.1:{port}", $"http://127.0.0.1:{uiPort}");
    }

    /// <summary>
    /// Runs <c>temporal --version</c> first: the SDK waits out its whole start-up timeout when the
    /// binary is not a working Temporal CLI, and this says so at once.
    /// </summary>
    private static async Task CheckCliAsync(string cliPath, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(cliPath, "--version")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string problem;
        try
        {
            using var process = Process.Start(psi) ?? throw new InvalidOperationException("the process did not start");
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException("'--version' did not answer within 15 s");
            }

            if (process.ExitCode == 0)
                return;
            problem = $"'--version' exited with {process.ExitCode}: {(await stderr + await stdout).Trim()}";
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            problem = ex.Message;
        }

        throw new DevModeException(
            $"--temporal-cli {cliPath} is not a working Temporal CLI ({problem}).\n" +
            "  Pass the 'temporal' binary from https://temporal.io/setup/install-temporal-cli,\n" +
            "  or point dev mode at a running server with --temporal-address HOST:PORT (or Temporal__Address).");
    }

    private static int PortOrFree(int preferred, int exclude = 0)
    {
        if (preferred != exclude && IsFree(preferred))
            return preferred;
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (port != exclude)
                return port;
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
