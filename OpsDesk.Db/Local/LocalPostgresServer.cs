using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OpsDesk.Db.Local;

/// <summary>
/// A PostgreSQL server started from the installed binaries, listening on 127.0.0.1 only.
/// Used by the test harness (throwaway, data in a temp dir) and by dev mode (persistent data dir).
/// When running as root the server runs as the <c>postgres</c> user through <c>runuser</c>,
/// because PostgreSQL refuses to run as root.
/// </summary>
public sealed class LocalPostgresServer : IAsyncDisposable
{
    /// <summary>Prefix of throwaway data dirs, so CI can find servers a crashed run left behind.</summary>
    public const string ThrowawayPrefix = "opsdesk-pg-";

    private readonly string binDir;
    private readonly bool throwaway;
    private readonly string? runAsUser;
    private bool stopped;

    private LocalPostgresServer(string binDir, string rootDir, int port, bool throwaway, string? runAsUser)
    {
        this.binDir = binDir;
        RootDir = rootDir;
        Port = port;
        this.throwaway = throwaway;
        this.runAsUser = runAsUser;
    }

    public string RootDir { get; }

    public string DataDir => Path.Combine(RootDir, "data");

    public string SocketDir => Path.Combine(RootDir, "socket");

    public string LogFile => Path.Combine(RootDir, "postgres.log");

    public int Port { get; private set; }

    /// <summary>A connection string for the given database on this server.</summary>
    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=100";

    /// <summary>Starts a throwaway server in a fresh temp dir, tuned for tests (no fsync).</summary>
    public static Task<LocalPostgresServer> StartThrowawayAsync(CancellationToken ct = default)
    {
        var root = Path.Combine(Path.GetTempPath(), ThrowawayPrefix + Guid.NewGuid().ToString("N")[..12]);
        return StartAsync(root, throwaway: true, ct);
    }

    /// <summary>Starts (initialising on first use) a server whose data survives restarts.</summary>
    public static Task<LocalPostgresServer> StartPersistentAsync(string rootDir, CancellationToken ct = default) =>
        StartAsync(rootDir, throwaway: false, ct);

    /// <summary>The directory holding initdb and pg_ctl, or null when PostgreSQL is not installed.</summary>
    public static string? FindBinDir()
    {
        var fromEnv = Environment.GetEnvironmentVariable("OPSDESK_PG_BIN");
        if (!string.IsNullOrEmpty(fromEnv) && File.Exists(Path.Combine(fromEnv, "initdb")))
            return fromEnv;
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
            return null;
        return Directory.GetDirectories(root)
            .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
            .Where(x => File.Exists(Path.Combine(x.Dir, "initdb")))
            .OrderByDescending(x => x.Version)
            .Select(x => x.Dir)
            .FirstOrDefault();
    }

    public const string InstallHint =
        "PostgreSQL server binaries were not found under /usr/lib/postgresql/*/bin (or $OPSDESK_PG_BIN). " +
        "Install them with 'sudo apt-get install -y postgresql' (Debian/Ubuntu) or point " +
        "ConnectionStrings:OpsDesk (tests: OPSDESK_TEST_DATABASE_URL) at an existing server.";

    private static async Task<LocalPostgresServer> StartAsync(string rootDir, bool throwaway, CancellationToken ct)
    {
        var binDir = FindBinDir() ?? throw new InvalidOperationException(InstallHint);
        var runAs = Environment.UserName == "root" ? "postgres" : null;

        Directory.CreateDirectory(rootDir);
        var server = new LocalPostgresServer(binDir, rootDir, FreePort(), throwaway, runAs);
        Directory.CreateDirectory(server.SocketDir);
        if (runAs is not null)
            await server.RunAsync("/bin/chown", ["-R", runAs, rootDir], asServerUser: false, ct);

        if (!File.Exists(Path.Combine(server.DataDir, "PG_VERSION")))
        {
            await server.RunAsync(Path.Combine(binDir, "initdb"),
                ["-D", server.DataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"],
                asServerUser: true, ct);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await server.StartServerAsync(ct);
                return server;
            }
            catch (InvalidOperationException ex) when (attempt < 3 && ex.Message.Contains("Address already in use", StringComparison.Ordinal))
            {
                // Another process took the free port between FreePort() and PostgreSQL's bind: take another.
                server.Port = FreePort();
            }
        }
    }

    /// <summary>
    /// Stops the server the way an operator's restart does (<c>pg_ctl stop -m fast</c>: sessions are
    /// terminated with 57P01), keeping its data; <see cref="StartAgainAsync"/> brings it back on the same port.
    /// </summary>
    public Task StopAsync(CancellationToken ct = default) =>
        RunAsync(Path.Combine(binDir, "pg_ctl"), ["-D", DataDir, "-m", "fast", "-w", "stop"], asServerUser: true, ct);

    /// <summary>Starts a server stopped with <see cref="StopAsync"/> again, on the same port and data.</summary>
    public Task StartAgainAsync(CancellationToken ct = default) => StartServerAsync(ct);

    /// <summary>
    /// Freezes the server (SIGSTOP to the postmaster and its backends) until the result is disposed
    /// (SIGCONT): connections stay open and nothing answers, as in a network partition or a stalled disk.
    /// </summary>
    public IDisposable Freeze()
    {
        var postmaster = int.Parse(File.ReadLines(Path.Combine(DataDir, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        var pids = new List<int> { postmaster };
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            try
            {
                // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so split after ')'.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) == postmaster)
                    pids.Add(pid);
            }
            catch (IOException)
            {
                // The process ended meanwhile.
            }
        }

        Signal("STOP", pids);
        return new Thaw(() => Signal("CONT", pids));
    }

    private static void Signal(string signal, IReadOnlyList<int> pids)
    {
        var psi = new ProcessStartInfo("/bin/kill") { UseShellExecute = false };
        psi.ArgumentList.Add("-" + signal);
        foreach (var pid in pids)
            psi.ArgumentList.Add(pid.ToString(CultureInfo.InvariantCulture));
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not run kill");
        process.WaitForExit();
    }

    private sealed class Thaw(Action thaw) : IDisposable
    {
        private int done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref done, 1) == 0)
                thaw();
        }
    }

    private async Task StartServerAsync(CancellationToken ct)
    {
        var settings = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"-p {Port} -k {SocketDir} -c listen_addresses=127.0.0.1 ")
            .Append("-c max_connections=300 -c shared_buffers=256MB ");
        if (throwaway)
            settings.Append("-c fsync=off -c synchronous_commit=off -c full_page_writes=off ");

        try
        {
            await RunAsync(Path.Combine(binDir, "pg_ctl"),
                ["-D", DataDir, "-l", LogFile, "-o", settings.ToString().Trim(), "-w", "-t", "60", "start"],
                asServerUser: true, ct);
        }
        catch (InvalidOperationException ex)
        {
            var log = File.Exists(LogFile) ? await File.ReadAllTextAsync(LogFile, ct) : "(no log)";
            throw new InvalidOperationException($"{ex.Message}\n--- postgres.log ---\n{log}", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (stopped)
            return;
        stopped = true;
        try
        {
            await RunAsync(Path.Combine(binDir, "pg_ctl"), ["-D", DataDir, "-m", "fast", "-w", "stop"], asServerUser: true, CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            // Already stopped; nothing to clean beyond the directory.
        }

        if (throwaway)
        {
            try
            {
                Directory.Delete(RootDir, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private async Task RunAsync(string file, IReadOnlyList<string> args, bool asServerUser, CancellationToken ct)
    {
        var psi = new ProcessStartInfo
        {
            // PostgreSQL tools complain when the current directory is not readable by the server user.
            WorkingDirectory = "/",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asServerUser && runAsUser is not null)
        {
            psi.FileName = "/usr/sbin/runuser";
            foreach (var a in (string[])["-u", runAsUser, "--", file])
                psi.ArgumentList.Add(a);
        }
        else
        {
            psi.FileName = file;
        }

        foreach (var a in args)
            psi.ArgumentList.Add(a);

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        // pg_ctl start leaves the server attached to inherited pipes; read them without waiting for EOF.
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            var err = await Task.WhenAny(stderr, Task.Delay(1000, ct)) == stderr ? await stderr : "";
            var outp = await Task.WhenAny(stdout, Task.Delay(200, ct)) == stdout ? await stdout : "";
            throw new InvalidOperationException(
                $"{Path.GetFileName(file)} {string.Join(' ', args)} exited with {process.ExitCode}: {err}{outp}".Trim());
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
