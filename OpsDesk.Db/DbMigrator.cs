using System.Reflection;
using DbUp;
using DbUp.Engine;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace OpsDesk.Db;

/// <summary>Applies the embedded, numbered SQL scripts with DbUp, one process at a time.</summary>
public sealed class DbMigrator(ILogger<DbMigrator> logger)
{
    // Any constant works as long as every OpsDesk process uses the same one.
    private const long MigrationLockKey = 0x0_0D5_DE5C_0001;

    public const string JournalTable = "schemaversions";

    /// <summary>SQL state invalid_catalog_name: the database named in the connection string does not exist.</summary>
    public const string MissingDatabase = "3D000";

    /// <summary>The one-line report of a database that does not exist, naming the setting to fix.</summary>
    public static string MissingDatabaseMessage(string database) =>
        $"ConnectionStrings:OpsDesk: database '{database}' does not exist on the server. Create it (deploy/postgres/init-databases.sh) or fix Database= in the connection string; OpsDesk creates databases only in dev mode.";

    /// <param name="createDatabase">
    /// Create the database when the server has none of that name: dev mode and tests only. Elsewhere a
    /// missing database is an error (a typo in its name must not start OpsDesk on a new, empty one).
    /// </param>
    public async Task<MigrationResult> MigrateAsync(string connectionString, bool createDatabase = false, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        // The advisory lock below belongs to one session: never run migrations over a multiplexed
        // connection (the API's recommended connection string turns multiplexing on), nor from the
        // process's pool (the API's is a few connections; migrating takes two, once, at start).
        connectionString = new NpgsqlConnectionStringBuilder(connectionString) { Multiplexing = false, Pooling = false }.ConnectionString;
        if (createDatabase)
            CreateDatabaseIfMissing(connectionString);

        // DbUp has no locking of its own: two processes starting together would both try to run
        // 0001. A session-level advisory lock held on a side connection serialises them; the
        // second one then finds nothing left to do.
        await using var lockConn = new NpgsqlConnection(connectionString);
        try
        {
            await lockConn.OpenAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == MissingDatabase)
        {
            return new MigrationResult(false, [], MissingDatabaseMessage(lockConn.Database));
        }

        await using (var cmd = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", lockConn))
        {
            cmd.Parameters.AddWithValue("key", MigrationLockKey);
            await cmd.ExecuteNonQueryAsync(ct);
        }

        try
        {
            var upgrader = DeployChanges.To
                .PostgresqlDatabase(connectionString)
                .WithScriptsEmbeddedInAssembly(Assembly.GetExecutingAssembly(), name => name.EndsWith(".sql", StringComparison.Ordinal))
                .JournalToPostgresqlTable("public", JournalTable)
                .WithTransactionPerScript()
                .LogToNowhere()
                .Build();

            var pending = upgrader.GetScriptsToExecute().Select(s => ScriptName(s)).ToList();
            var result = upgrader.PerformUpgrade();
            if (!result.Successful)
            {
                var failed = result.ErrorScript is null ? "(unknown script)" : ScriptName(result.ErrorScript);
                logger.LogError(result.Error, "Migration {Script} failed", failed);
                return new MigrationResult(false, pending, $"migration {failed} failed: {result.Error?.Message}");
            }

            foreach (var script in pending)
                logger.LogInformation("Applied migration {Script}", script);
            if (pending.Count == 0)
                logger.LogInformation("Database schema is up to date");
            return new MigrationResult(true, pending, null);
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", lockConn);
            unlock.Parameters.AddWithValue("key", MigrationLockKey);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private static void CreateDatabaseIfMissing(string connectionString)
    {
        // Creates the database if the server has none of that name (a fresh server, dev mode).
        DbUp.EnsureDatabase.For.PostgresqlDatabase(connectionString, new DbUp.Engine.Output.NoOpUpgradeLog());
    }

    private static string ScriptName(SqlScript script)
    {
        // Embedded names look like "OpsDesk.Db.Migrations.0001_create_tickets.sql".
        var name = script.Name;
        var marker = ".Migrations.";
        var at = name.IndexOf(marker, StringComparison.Ordinal);
        return at >= 0 ? name[(at + marker.Length)..] : name;
    }
}

public sealed record MigrationResult(bool Successful, IReadOnlyList<string> Applied, string? Error);
