using System.Diagnostics;
using System.Text;

namespace OpsDesk.Tests.Support;

/// <summary>
/// The built worker host (<c>opsdesk</c> with no command) as a child process of its own, configured
/// through environment variables the way a deployment configures it — so a test can kill it outright.
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    public const string PollingLine = "Temporal worker polling task queue";

    private readonly Process process;
    private readonly StringBuilder output = new();

    private WorkerProcess(Process process) => this.process = process;

    /// <summary>Everything the process wrote so far, stdout and stderr interleaved.</summary>
    public string Output
    {
        get
        {
            lock (output)
                return output.ToString();
        }
    }

    public bool HasExited => process.HasExited;

    /// <summary>The process id (for /proc/&lt;pid&gt;/status).</summary>
    public int Id => process.Id;

    /// <param name="settings">Configuration keys (<c>Temporal:TaskQueue</c>), passed as <c>Temporal__TaskQueue</c>.</param>
    public static WorkerProcess Start(IReadOnlyDictionary<string, string?> settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "opsdesk.dll"));
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Urls"] = "http://127.0.0.1:0";
        start.Environment["ConnectionStrings__OpsDesk"] = TestDatabase.ConnectionString;
        start.Environment["Database__MigrateOnStart"] = "false";
        start.Environment["Temporal__RegisterSearchAttributes"] = "false";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in settings)
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;

        var worker = new WorkerProcess(new Process { StartInfo = start });
        worker.process.OutputDataReceived += (_, e) => worker.Append(e.Data);
        worker.process.ErrorDataReceived += (_, e) => worker.Append(e.Data);
        worker.process.Start();
        worker.process.BeginOutputReadLine();
        worker.process.BeginErrorReadLine();
        return worker;
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (output)
            output.AppendLine(line);
    }

    /// <summary>Waits until the worker logs that it polls its task queue.</summary>
    public Task WaitUntilPollingAsync(TimeSpan timeout) =>
        LiveTemporal.WaitForAsync(() =>
        {
            if (process.HasExited)
                Assert.Fail($"the worker exited with {process.ExitCode} before polling:\n{Output}");
            return Task.FromResult(Output.Contains(PollingLine, StringComparison.Ordinal));
        }, timeout, "the worker process to poll Temporal\n" + Output);

    /// <summary>SIGKILL: no graceful shutdown, no activity completion, no goodbye to Temporal.</summary>
    public async Task KillAsync()
    {
        if (process.HasExited)
            return;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process.Dispose();
    }
}
