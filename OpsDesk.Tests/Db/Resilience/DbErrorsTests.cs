using Npgsql;
using OpsDesk.Db.Resilience;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Db.Resilience;

/// <summary>The transient-error policy, judged on exceptions a real PostgreSQL and a real socket produce.</summary>
public sealed class DbErrorsTests
{
    [Test]
    public async Task A_server_that_is_not_listening_is_transient()
    {
        var cs = new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString) { Port = Ports.Free(), Pooling = false, Timeout = 2 }.ConnectionString;
        await using var conn = new NpgsqlConnection(cs);

        var error = Assert.CatchAsync(() => conn.OpenAsync());

        Assert.That(DbErrors.IsTransient(error!), Is.True, error!.ToString());
    }

    [Test]
    public async Task A_session_killed_by_the_server_is_transient()
    {
        var cs = new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString) { Pooling = false }.ConnectionString;
        await using var victim = new NpgsqlConnection(cs);
        await victim.OpenAsync();
        await TestDatabase.ExecuteAsync("SELECT pg_terminate_backend(@pid)", ("pid", victim.ProcessID));

        await using var cmd = new NpgsqlCommand("SELECT 1", victim);
        var error = Assert.CatchAsync(() => cmd.ExecuteScalarAsync());

        Assert.That(DbErrors.IsTransient(error!), Is.True, error!.ToString());
    }

    [Test]
    public void A_division_by_zero_or_a_missing_table_is_not_transient_but_is_a_database_failure()
    {
        var division = Assert.CatchAsync(() => TestDatabase.ExecuteAsync("SELECT 1/0"));
        var missing = Assert.CatchAsync(() => TestDatabase.ExecuteAsync("SELECT * FROM no_such_table"));

        Assert.Multiple(() =>
        {
            Assert.That(DbErrors.IsTransient(division!), Is.False);
            Assert.That(DbErrors.IsTransient(missing!), Is.False);
            Assert.That(DbErrors.IsDatabaseFailure(missing!), Is.True);
            Assert.That(DbErrors.IsTransient(new InvalidOperationException("a bug")), Is.False);
        });
    }

    [TestCase("57P01", true)]
    [TestCase("57P03", true)]
    [TestCase("53300", true)]
    [TestCase("08006", true)]
    [TestCase("23505", false)]
    [TestCase("42P01", false)]
    [TestCase("3D000", false)]
    public void Sql_states_of_a_restarting_or_full_server_are_transient(string state, bool transient) =>
        Assert.That(DbErrors.IsTransientSqlState(state), Is.EqualTo(transient));
}
