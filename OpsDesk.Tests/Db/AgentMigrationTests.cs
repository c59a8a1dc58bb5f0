using System.Net;
using DbUp;
using Npgsql;
using OpsDesk.Db;
using OpsDesk.Db.Auth;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Db;

/// <summary>Migration 0006 turns every existing agent and admin key into an agent of its own, without breaking the key.</summary>
public sealed class AgentMigrationTests
{
    [Test]
    public async Task An_agent_key_from_before_agents_still_authenticates_and_resolves_to_its_own_agent()
    {
        var name = "opsdesk_agents_" + Guid.NewGuid().ToString("N")[..8];
        var cs = new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString) { Database = name }.ConnectionString;
        await TestDatabase.ExecuteAsync($"CREATE DATABASE {name}");
        MigrateThrough(cs, "0005");
        var (prefix, key) = Secrets.NewKey();
        var (requesterPrefix, _) = Secrets.NewKey();
        var (revokedPrefix, _) = Secrets.NewKey();
        await using (var dataSource = NpgsqlDataSource.Create(cs))
        {
            await using var insert = dataSource.CreateCommand("""
                INSERT INTO api_keys (prefix, name, role, key_hash) VALUES (@p, 'support-desk', 'agent', @h);
                INSERT INTO api_keys (prefix, name, role, key_hash, revoked_at) VALUES (@rp, 'support-desk', 'admin', @h, now());
                INSERT INTO api_keys (prefix, name, role, key_hash) VALUES (@qp, 'portal', 'requester', @h);
                """);
            insert.Parameters.AddWithValue("p", prefix);
            insert.Parameters.AddWithValue("rp", revokedPrefix);
            insert.Parameters.AddWithValue("qp", requesterPrefix);
            insert.Parameters.AddWithValue("h", Secrets.Hash(key));
            await insert.ExecuteNonQueryAsync();
        }

        var result = await new DbMigrator(Microsoft.Extensions.Logging.Abstractions.NullLogger<DbMigrator>.Instance).MigrateAsync(cs);

        Assert.That(result.Successful, Is.True, result.Error);
        await using var check = NpgsqlDataSource.Create(cs);
        await using var cmd = check.CreateCommand("""
            SELECT k.role, a.name, a.role, a.active FROM api_keys k LEFT JOIN agents a ON a.id = k.agent_id ORDER BY k.id
            """);
        var rows = new List<(string KeyRole, string? Agent, string? AgentRole)>();
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }

        Assert.That(rows[0], Is.EqualTo(("agent", (string?)"support-desk", (string?)"agent")));
        Assert.That(rows[1].Agent, Does.StartWith("support-desk (key "), "a name taken by an earlier key gets the key id");
        Assert.That(rows[1].AgentRole, Is.EqualTo("admin"));
        Assert.That(rows[2], Is.EqualTo(("requester", (string?)null, (string?)null)));

        var agentId = await ScalarAsync(check, "SELECT agent_id FROM api_keys WHERE prefix = @p", prefix);
        await using var factory = new ApiFactory(new() { ["ConnectionStrings:OpsDesk"] = cs });
        using var client = factory.CreateClientWithKey(key);
        var ticket = await Tickets.CreateAsync(client);
        var comment = await Comments.AddAsync(client, ticket["id"]!.GetValue<long>(), "answered with a key from before agents");
        Assert.That(agentId, Is.GreaterThan(0));
        Assert.That(comment["authorKind"]!.GetValue<string>(), Is.EqualTo("agent"));
        Assert.That(comment["agentId"]!.GetValue<long>(), Is.EqualTo(agentId), "the old key now acts as its agent");
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource dataSource, string sql, string prefix)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        cmd.Parameters.AddWithValue("p", prefix);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>Applies the migrations up to and including <paramref name="last"/>, journalled as the migrator does.</summary>
    private static void MigrateThrough(string connectionString, string last)
    {
        var upgrade = DeployChanges.To
            .PostgresqlDatabase(connectionString)
            .WithScriptsEmbeddedInAssembly(typeof(DbMigrator).Assembly, n => n.EndsWith(".sql", StringComparison.Ordinal)
                && string.CompareOrdinal(n[(n.IndexOf(".Migrations.", StringComparison.Ordinal) + 12)..], last + "~") < 0)
            .JournalToPostgresqlTable("public", DbMigrator.JournalTable)
            .WithTransactionPerScript()
            .LogToNowhere()
            .Build()
            .PerformUpgrade();
        Assert.That(upgrade.Successful, Is.True, upgrade.Error?.Message);
    }
}
