using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using OpsDesk.Db;
using OpsDesk.Db.Local;

namespace OpsDesk.Tests.Support;

/// <summary>
/// Starts one throwaway PostgreSQL per test run (or uses OPSDESK_TEST_DATABASE_URL), creates a
/// fresh database in it and migrates it. Tests isolate themselves with unique data.
/// </summary>
public static class TestDatabase
{
    private static LocalPostgresServer? server;
    private static string? adminConnectionString;

    public static string ConnectionString { get; private set; } = "";

    public static NpgsqlDataSource DataSource { get; private set; } = null!;

    /// <summary>The running throwaway server, when this run started one.</summary>
    public static LocalPostgresServer? Server => server;

    public static async Task StartAsync()
    {
        var external = Environment.GetEnvironmentVariable("OPSDESK_TEST_DATABASE_URL");
        if (string.IsNullOrWhiteSpace(external))
        {
            if (LocalPostgresServer.FindBinDir() is null)
                Assert.Fail(LocalPostgresServer.InstallHint);
            server = await LocalPostgresServer.StartThrowawayAsync();
            adminConnectionString = server.ConnectionString("postgres");
        }
        else
        {
            adminConnectionString = external;
        }

        var builder = new NpgsqlConnectionStringBuilder(adminConnectionString)
        {
            Database = "opsdesk_test_" + Guid.NewGuid().ToString("N")[..10],
            MaxPoolSize = 200,
        };
        ConnectionString = builder.ConnectionString;
        var result = await new DbMigrator(NullLogger<DbMigrator>.Instance).MigrateAsync(ConnectionString, createDatabase: true);
        Assert.That(result.Successful, Is.True, result.Error);
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public static async Task StopAsync()
    {
        if (DataSource is not null)
            await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        if (server is not null)
        {
            await server.DisposeAsync();
        }
        else if (adminConnectionString is not null)
        {
            var name = new NpgsqlConnectionStringBuilder(ConnectionString).Database;
            await using var conn = new NpgsqlConnection(adminConnectionString);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", conn);
            await cmd.ExecuteNonQueryAsync();
        }
    }

    /// <summary>A fresh, migrated database of its own, for tests that must not share state.</summary>
    public static async Task<string> CreateIsolatedDatabaseAsync()
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "opsdesk_iso_" + Guid.NewGuid().ToString("N")[..10] };
        var result = await new DbMigrator(NullLogger<DbMigrator>.Instance).MigrateAsync(builder.ConnectionString, createDatabase: true);
        Assert.That(result.Successful, Is.True, result.Error);
        return builder.ConnectionString;
    }

    public static async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] args)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        foreach (var (name, value) in args)
            cmd.Parameters.AddWithValue(name, value);
        var result = await cmd.ExecuteScalarAsync();
        return (T)Convert.ChangeType(result!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task ExecuteAsync(string sql, params (string Name, object Value)[] args)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        foreach (var (name, value) in args)
            cmd.Parameters.AddWithValue(name, value);
        await cmd.ExecuteNonQueryAsync();
    }
}
