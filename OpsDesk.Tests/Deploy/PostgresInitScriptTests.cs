using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using OpsDesk.Db;
using OpsDesk.Db.Local;

namespace OpsDesk.Tests.Deploy;

/// <summary>
/// deploy/postgres/init-databases.sh, the compose postgres service's first-start script, run with
/// psql against a PostgreSQL of its own, as the image's entrypoint would run it.
/// </summary>
[TestFixture]
public sealed class PostgresInitScriptTests
{
    private LocalPostgresServer server = null!;
    private ScriptResult firstRun = null!;

    [OneTimeSetUp]
    public async Task RunScriptOnAFreshServer()
    {
        if (LocalPostgresServer.FindBinDir() is null)
            Assert.Fail(LocalPostgresServer.InstallHint);
        server = await LocalPostgresServer.StartThrowawayAsync();
        firstRun = await RunScriptAsync(new() { ["OPSDESK_DB_PASSWORD"] = "opsdesk-pw", ["TEMPORAL_DB_PASSWORD"] = "temporal-pw" });
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        NpgsqlConnection.ClearAllPools();
        if (server is not null)
            await server.DisposeAsync();
    }

    [Test]
    public async Task The_script_creates_the_opsdesk_and_temporal_databases_owned_by_roles_that_are_not_superusers()
    {
        Assert.That(firstRun.ExitCode, Is.Zero, firstRun.Output);
        await using var conn = new NpgsqlConnection(server.ConnectionString("postgres"));
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT d.datname, r.rolname, r.rolsuper FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba " +
            "WHERE d.datname IN ('opsdesk', 'temporal', 'temporal_visibility') ORDER BY d.datname", conn);
        var rows = new List<string>();
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                rows.Add($"{reader.GetString(0)} owned by {reader.GetString(1)} (superuser: {reader.GetBoolean(2)})");
        }

        Assert.That(rows, Is.EqualTo(new[]
        {
            "opsdesk owned by opsdesk (superuser: False)",
            "temporal owned by temporal (superuser: False)",
            "temporal_visibility owned by temporal (superuser: False)",
        }));
    }

    [Test]
    public async Task OpsDesk_migrations_run_as_the_opsdesk_role_it_creates()
    {
        Assert.That(firstRun.ExitCode, Is.Zero, firstRun.Output);
        var cs = new NpgsqlConnectionStringBuilder(server.ConnectionString("opsdesk")) { Username = "opsdesk", Pooling = false }.ConnectionString;

        var result = await new DbMigrator(NullLogger<DbMigrator>.Instance).MigrateAsync(cs);

        Assert.That(result.Successful, Is.True, result.Error);
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'tickets'", conn);
        Assert.That(await cmd.ExecuteScalarAsync(), Is.EqualTo("opsdesk"));
    }

    [Test]
    public async Task The_script_refuses_to_run_without_the_passwords()
    {
        var run = await RunScriptAsync(new() { ["TEMPORAL_DB_PASSWORD"] = "temporal-pw" });

        Assert.That(run.ExitCode, Is.Not.Zero);
        Assert.That(run.Output, Does.Contain("OPSDESK_DB_PASSWORD"));
    }

    private async Task<ScriptResult> RunScriptAsync(Dictionary<string, string> variables)
    {
        var psi = new ProcessStartInfo("bash", [RepoFiles.Path("deploy/postgres/init-databases.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["PATH"] = LocalPostgresServer.FindBinDir() + ":" + Environment.GetEnvironmentVariable("PATH");
        psi.Environment["PGHOST"] = "127.0.0.1";
        psi.Environment["PGPORT"] = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["POSTGRES_USER"] = "postgres";
        psi.Environment.Remove("OPSDESK_DB_PASSWORD");
        psi.Environment.Remove("TEMPORAL_DB_PASSWORD");
        foreach (var (k, v) in variables)
            psi.Environment[k] = v;

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new ScriptResult(process.ExitCode, await stdout + await stderr);
    }

    private sealed record ScriptResult(int ExitCode, string Output);
}
