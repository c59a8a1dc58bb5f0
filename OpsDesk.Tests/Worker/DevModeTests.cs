using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;
using OpsDesk.Db.Local;
using OpsDesk.Tests.Support;
using OpsDesk.Worker.Commands;
using OpsDesk.Worker.Hosting;

namespace OpsDesk.Tests.Worker;

/// <summary>
/// <c>opsdesk dev</c> as a person runs it: the built <c>opsdesk</c> in a child process, over real
/// HTTP, with its own PostgreSQL in a temp data dir. No Temporal server can run here, so Temporal
/// points at a closed port: dev mode must keep serving while the worker retries.
/// </summary>
[TestFixture]
public sealed partial class DevModeTests
{
    private string dataDir = null!;

    [SetUp]
    public void CreateDataDir()
    {
        if (LocalPostgresServer.FindBinDir() is null)
            Assert.Fail(LocalPostgresServer.InstallHint);
        dataDir = Path.Combine(Path.GetTempPath(), "opsdesk-dev-test-" + Guid.NewGuid().ToString("N")[..10]);
    }

    [TearDown]
    public async Task RemoveDataDir()
    {
        await DevModeProcess.StopLeftoverPostgresAsync(dataDir);
        if (Directory.Exists(dataDir))
            Directory.Delete(dataDir, recursive: true);
    }

    [Test]
    public async Task Dev_mode_serves_the_api_and_stores_new_tickets_as_queued_while_Temporal_is_unreachable()
    {
        await using var dev = DevModeProcess.Start(dataDir, ClosedTemporalAddress());
        using var http = new HttpClient { BaseAddress = await dev.WaitUntilUpAsync() };

        var created = await Tickets.CreateAsync(http);
        var id = created["id"]!.GetValue<long>();

        Assert.Multiple(async () =>
        {
            Assert.That(created["triageStatus"]!.GetValue<string>(), Is.EqualTo("queued"));
            Assert.That(await QueryAsync(dataDir, "SELECT triage_status FROM tickets WHERE id = @id", id), Is.EqualTo("queued"));
            Assert.That(dev.HasExited, Is.False, "dev mode keeps running while Temporal is unreachable\n" + dev.Output);
        });
    }

    [Test]
    [Category("Temporal")]
    public async Task Dev_mode_against_a_real_time_temporal_server_classifies_a_new_ticket_end_to_end()
    {
        await using var temporal = await RealTimeTemporalServer.StartAsync();
        await using var dev = DevModeProcess.Start(dataDir, temporal.Address);
        using var http = new HttpClient { BaseAddress = await dev.WaitUntilUpAsync() };

        var id = (await Tickets.CreateAsync(http))["id"]!.GetValue<long>();

        // Classified means the workflow upserted its search attributes: dev mode registered them itself.
        await LiveTemporal.WaitForAsync(
            async () => (string?)await QueryAsync(dataDir, "SELECT triage_status FROM tickets WHERE id = @id", id) == "classified",
            TimeSpan.FromSeconds(60), $"ticket {id} to be classified in real time\n{dev.Output}");
        Assert.That(await QueryAsync(dataDir, "SELECT provider FROM ticket_ai WHERE ticket_id = @id", id), Is.EqualTo("local"));
        Assert.That(await dev.StopAsync(), Is.Zero, dev.Output);
    }

    [Test]
    public async Task Stopping_dev_mode_stops_the_api_and_the_PostgreSQL_it_started()
    {
        await using var dev = DevModeProcess.Start(dataDir, ClosedTemporalAddress());
        var api = await dev.WaitUntilUpAsync();
        var (pgPid, pgPort) = DevModeProcess.Postgres(dataDir);
        Assert.That(IsListening(pgPort), Is.True, "PostgreSQL listens while dev mode runs");

        var exitCode = await dev.StopAsync();
        // pg_ctl stop returns once postmaster.pid is gone; the process itself ends a moment later.
        var postmasterGone = await WaitUntilGoneAsync(pgPid, TimeSpan.FromSeconds(10));

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, dev.Output);
            Assert.That(dev.Output, Does.Contain("dev: stopped."));
            Assert.That(File.Exists(DevModeProcess.PostmasterPidFile(dataDir)), Is.False, "postmaster.pid removed by a clean shutdown");
            Assert.That(IsListening(pgPort), Is.False, "PostgreSQL port closed");
            Assert.That(postmasterGone, Is.True, "postmaster process gone");
            Assert.That(IsListening(api.Port), Is.False, "API port closed");
        });
    }

    [Test]
    public async Task Tickets_survive_a_restart_of_dev_mode()
    {
        long id;
        string subject;
        await using (var first = DevModeProcess.Start(dataDir, ClosedTemporalAddress()))
        {
            using var http = new HttpClient { BaseAddress = await first.WaitUntilUpAsync() };
            var created = await Tickets.CreateAsync(http);
            id = created["id"]!.GetValue<long>();
            subject = created["subject"]!.GetValue<string>();
            Assert.That(await first.StopAsync(), Is.Zero, first.Output);
        }

        await using var second = DevModeProcess.Start(dataDir, ClosedTemporalAddress());
        await second.WaitUntilUpAsync();

        Assert.That(await QueryAsync(dataDir, "SELECT subject FROM tickets WHERE id = @id", id), Is.EqualTo(subject));
        Assert.That(await second.StopAsync(), Is.Zero, second.Output);
    }

    [Test]
    public async Task A_temporal_cli_that_does_not_run_stops_dev_mode_with_advice()
    {
        Directory.CreateDirectory(dataDir);
        var fake = Path.Combine(dataDir, "temporal");
        await File.WriteAllTextAsync(fake, "#!/bin/sh\necho 'not a temporal binary' >&2\nexit 3\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var (exitCode, _, stderr) = await RunCliAsync("dev", "--data-dir", dataDir, "--temporal-cli", fake);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(Cli.Failed));
            Assert.That(stderr, Does.Contain("is not a working Temporal CLI").And.Contain("not a temporal binary"));
            Assert.That(stderr, Does.Contain("--temporal-address"), "tells the user the other way out");
            Assert.That(File.Exists(DevModeProcess.PostmasterPidFile(dataDir)), Is.False, "nothing left running");
        });
    }

    [Test]
    public async Task A_temporal_cli_path_that_does_not_exist_is_bad_usage()
    {
        var (exitCode, _, stderr) = await RunCliAsync("dev", "--data-dir", dataDir, "--temporal-cli", Path.Combine(dataDir, "missing-temporal"));

        Assert.That(exitCode, Is.EqualTo(Cli.BadUsage));
        Assert.That(stderr, Does.Contain("missing-temporal"));
    }

    [TestCase("ftp://127.0.0.1:5080")]
    [TestCase("localhost:5080")]
    public async Task Urls_that_are_not_http_are_bad_usage(string urls)
    {
        var (exitCode, _, stderr) = await RunCliAsync("dev", "--data-dir", dataDir, "--urls", urls);

        Assert.That(exitCode, Is.EqualTo(Cli.BadUsage));
        Assert.That(stderr, Does.Contain("--urls"));
    }

    [TestCase("http://127.0.0.1:5080", "http://127.0.0.1:5080")]
    [TestCase("http://[::]:5080", "http://localhost:5080")]
    [TestCase("http://0.0.0.0:5080/", "http://localhost:5080")]
    [TestCase("http://+:5080;http://127.0.0.1:5081", "http://localhost:5080")]
    public void The_printed_api_url_is_one_a_person_can_open(string listening, string shown) =>
        Assert.That(DevMode.DisplayUrl(listening), Is.EqualTo(shown));

    private static string ClosedTemporalAddress() => $"127.0.0.1:{Ports.Free()}";

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunCliAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await Cli.RunAsync(args, stdout, stderr);
        return (exitCode, stdout.ToString(), stderr.ToString());
    }

    private static async Task<object?> QueryAsync(string dataDir, string sql, long id)
    {
        var (_, port) = DevModeProcess.Postgres(dataDir);
        await using var conn = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Username=postgres;Database=opsdesk;Pooling=false");
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.AddWithValue("id", id);
        return await cmd.ExecuteScalarAsync();
    }

    private static bool IsListening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Alive and not a zombie waiting to be reaped (its parent is not this process).</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task<bool> WaitUntilGoneAsync(int pid, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (IsRunning(pid) && DateTime.UtcNow < until)
            await Task.Delay(100);
        return !IsRunning(pid);
    }

    /// <summary>The built <c>opsdesk dev</c> in a child process, with its output captured.</summary>
    private sealed partial class DevModeProcess : IAsyncDisposable
    {
        private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
        private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

        private readonly Process process;
        private readonly StringBuilder output = new();
        private readonly TaskCompletionSource<Uri> up = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private DevModeProcess(Process process) => this.process = process;

        public bool HasExited => process.HasExited;

        public string Output
        {
            get
            {
                lock (output)
                    return output.ToString();
            }
        }

        public static DevModeProcess Start(string dataDir, string temporalAddress)
        {
            var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in (string[])[Path.Combine(AppContext.BaseDirectory, "opsdesk.dll"), "dev",
                         "--data-dir", dataDir, "--temporal-address", temporalAddress, "--urls", "http://127.0.0.1:0"])
                psi.ArgumentList.Add(arg);

            // Only what the test says: no settings inherited from the machine running the tests.
            foreach (var name in psi.Environment.Keys.Where(k => k.Contains("__", StringComparison.Ordinal)).ToList())
                psi.Environment.Remove(name);
            psi.Environment.Remove("DOTNET_ENVIRONMENT");
            psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
            psi.Environment["Logging__LogLevel__Default"] = "Warning";

            var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
            var dev = new DevModeProcess(process);
            process.OutputDataReceived += (_, e) => dev.OnLine(e.Data);
            process.ErrorDataReceived += (_, e) => dev.OnLine(e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return dev;
        }

        /// <summary>Waits for the one "is up" line and returns the API address it names.</summary>
        public async Task<Uri> WaitUntilUpAsync()
        {
            var exited = process.WaitForExitAsync();
            var finished = await Task.WhenAny(up.Task, exited, Task.Delay(StartTimeout));
            if (finished == up.Task)
                return await up.Task;
            Assert.Fail(finished == exited
                ? $"dev mode exited with {process.ExitCode} before it was up:\n{Output}"
                : $"dev mode was not up within {StartTimeout}:\n{Output}");
            throw new UnreachableException();
        }

        /// <summary>Asks dev mode to stop (SIGTERM: the same path as Ctrl+C) and returns its exit code.</summary>
        public async Task<int> StopAsync()
        {
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(StopTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"dev mode did not stop within {StopTimeout}:\n{Output}");
            }

            return process.ExitCode;
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

        public static string PostmasterPidFile(string dataDir) => Path.Combine(dataDir, "postgres", "data", "postmaster.pid");

        /// <summary>The pid and port of the PostgreSQL dev mode runs in this data dir (from postmaster.pid).</summary>
        public static (int Pid, int Port) Postgres(string dataDir)
        {
            var lines = File.ReadAllLines(PostmasterPidFile(dataDir));
            return (int.Parse(lines[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(lines[3], System.Globalization.CultureInfo.InvariantCulture));
        }

        /// <summary>After a failed test: stops a PostgreSQL that a killed dev mode left behind.</summary>
        public static async Task StopLeftoverPostgresAsync(string dataDir)
        {
            if (!File.Exists(PostmasterPidFile(dataDir)))
                return;
            var (pid, _) = Postgres(dataDir);
            using (var kill = Process.Start("kill", ["-INT", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync();
            for (var i = 0; i < 100 && IsRunning(pid); i++)
                await Task.Delay(100);
        }

        private void OnLine(string? line)
        {
            if (line is null)
                return;
            lock (output)
                output.AppendLine(line);
            if (ReadyLine().Match(line) is { Success: true } m)
                up.TrySetResult(new Uri(m.Groups[1].Value));
        }

        [GeneratedRegex(@"^OpsDesk dev mode is up: API (\S+) ")]
        private static partial Regex ReadyLine();
    }
}
