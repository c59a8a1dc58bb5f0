using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using OpsDesk.Db;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Db;

public sealed class MigrationTests
{
    [Test]
    public async Task Migrating_an_up_to_date_database_applies_nothing()
    {
        var result = await new DbMigrator(NullLogger<DbMigrator>.Instance).MigrateAsync(TestDatabase.ConnectionString);

        Assert.That(result.Successful, Is.True);
        Assert.That(result.Applied, Is.Empty);
    }

    // The API's recommended connection string, and a multiplexed one (an operator may still set it):
    // migrate-on-start must not take the session-level lock over a multiplexed connection (the lock
    // would stay on a pooled session).
    [TestCase("")]
    [TestCase(ApiFactory.ApiConnectionExtras)]
    [TestCase("Multiplexing=true;Maximum Pool Size=4")]
    public async Task Four_processes_migrating_a_fresh_database_at_once_do_not_collide(string extras)
    {
        var cs = new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString + ";" + extras) { Database = "opsdesk_race_" + Guid.NewGuid().ToString("N")[..8] }.ConnectionString;
        // Create the database first: CREATE DATABASE itself is not what the lock guards.
        await new DbMigrator(NullLogger<DbMigrator>.Instance).MigrateAsync(cs, createDatabase: true);
        await using (var conn = new NpgsqlConnection(cs))
        {
            await conn.OpenAsync();
            await using var reset = new NpgsqlCommand("DROP SCHEMA public CASCADE; CREATE SCHEMA public;", conn);
            await reset.ExecuteNonQueryAsync();
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            Task.Run(() => new DbMigrator(NullLogger<DbMigrator>.Instance).MigrateAsync(cs)))).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.That(results.All(r => r.Successful), Is.True, string.Join("; ", results.Select(r => r.Error)));
        Assert.That(results.Sum(r => r.Applied.Count), Is.EqualTo(results.Max(r => r.Applied.Count)), "each script ran once");
        await using var check = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString) { Database = new NpgsqlConnectionStringBuilder(cs).Database }.ConnectionString);
        await check.OpenAsync();
        await using var cmd = new NpgsqlCommand($"SELECT count(*) FROM {DbMigrator.JournalTable}", check);
        Assert.That((long)(await cmd.ExecuteScalarAsync())!, Is.EqualTo(results.Max(r => r.Applied.Count)));
    }

    [Test]
    public async Task Migrate_command_exits_non_zero_with_a_message_when_the_database_is_unreachable()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await OpsDesk.Worker.Commands.Cli.RunAsync(
            ["migrate", "--connection-string", "Host=127.0.0.1;Port=1;Username=postgres;Database=x;Timeout=2"], stdout, stderr);

        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr.ToString(), Does.Contain("migration failed"));
    }

    [Test]
    public async Task Migrate_command_applies_the_schema_to_a_fresh_database()
    {
        var name = "opsdesk_cli_" + Guid.NewGuid().ToString("N")[..8];
        var cs = new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString) { Database = name }.ConnectionString;
        await TestDatabase.ExecuteAsync($"CREATE DATABASE {name}");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await OpsDesk.Worker.Commands.Cli.RunAsync(["migrate", "--connection-string", cs], stdout, stderr);

        Assert.That(code, Is.EqualTo(0), stderr.ToString());
        Assert.That(stdout.ToString(), Does.Contain("0001_create_tickets.sql"));
    }

    [Test]
    public async Task Migrate_command_refuses_a_database_that_does_not_exist_and_creates_none()
    {
        var name = "opsdesk_typo_" + Guid.NewGuid().ToString("N")[..8];
        var cs = new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString) { Database = name }.ConnectionString;
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await OpsDesk.Worker.Commands.Cli.RunAsync(["migrate", "--connection-string", cs], stdout, stderr);

        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr.ToString(), Does.Contain("ConnectionStrings:OpsDesk").And.Contain(name).And.Contain("does not exist"));
        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM pg_database WHERE datname = @d", ("d", name)), Is.Zero);
    }
}
