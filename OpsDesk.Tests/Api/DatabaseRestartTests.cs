using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using OpsDesk.Db;
using OpsDesk.Db.Local;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Api;

/// <summary>
/// PostgreSQL restarted under create load, with the connection settings README and the deploy notes
/// recommend for the API: the API must come back by itself, answer only 201/200 or 503 problems
/// with Retry-After meanwhile, and leave no ticket without its ticket.created event nor a duplicate.
/// Clients behave as the portal is told to: every create carries an Idempotency-Key and a 503 is
/// retried with the same key.
/// </summary>
[NonParallelizable]
public sealed class DatabaseRestartTests
{
    private const int Clients = 8;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(20);

    [Test]
    [CancelAfter(120_000)]
    public async Task After_a_postgres_restart_under_create_load_the_api_answers_201_again_within_5_s_with_only_503s_meanwhile(CancellationToken testToken)
    {
        if (LocalPostgresServer.FindBinDir() is null)
            Assert.Fail(LocalPostgresServer.InstallHint);
        await using var server = await LocalPostgresServer.StartThrowawayAsync(testToken);
        var database = server.ConnectionString("opsdesk_restart");
        var migrated = await new DbMigrator(NullLogger<DbMigrator>.Instance).MigrateAsync(database, createDatabase: true, testToken);
        Assert.That(migrated.Successful, Is.True, migrated.Error);

        await using var factory = new ApiFactory(new()
        {
            ["ConnectionStrings:OpsDesk"] = database + ";" + ApiFactory.ApiConnectionExtras,
            ["RateLimits:AnonymousCreatePermitLimit"] = "1000000",
            ["Logging:LogLevel:Default"] = "Error",
        });
        var load = new CreateLoad(factory);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(testToken);
        var clients = Enumerable.Range(0, Clients).Select(_ => Task.Run(() => load.RunClientAsync(stop.Token), testToken)).ToList();

        await load.WaitForCreatedAsync(50, testToken);
        await server.StopAsync(testToken);
        await load.WaitForUnavailableAsync(testToken);
        await server.StartAgainAsync(testToken);
        var back = load.Clock.Elapsed;
        var createdBefore = load.Created;
        await load.WaitForCreatedAsync(createdBefore + 1, testToken, startedAfter: back);
        var recovered = load.FirstCreatedCompletedAfter(back) - back;
        using var ready = await load.ReadinessAsync(testToken);
        await load.WaitForCreatedAsync(load.Created + 50, testToken);
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        await using var db = NpgsqlDataSource.Create(database);
        var tickets = await ScalarAsync(db, "SELECT count(*) FROM tickets");
        var withoutEvent = await ScalarAsync(db,
            "SELECT count(*) FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.type = 'ticket.created')");
        var duplicateKeys = await ScalarAsync(db, "SELECT count(*) FROM (SELECT idempotency_key FROM tickets GROUP BY idempotency_key HAVING count(*) > 1) d");
        TestContext.Out.WriteLine(
            $"recovered {recovered.TotalMilliseconds:0} ms after PostgreSQL was back; answers: {string.Join(", ", load.Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}; " +
            $"tickets {tickets}, keys answered {load.Keys.Count}, replays {load.Replays}");

        Assert.Multiple(() =>
        {
            Assert.That(load.Failures, Is.Empty, "every answer is 201, 200 (a replay) or a 503 problem with Retry-After");
            Assert.That(load.Statuses.GetValueOrDefault(500), Is.Zero);
            Assert.That(load.Statuses.GetValueOrDefault(503), Is.GreaterThan(0), "the restart was seen by the API");
            Assert.That(recovered, Is.LessThan(TimeSpan.FromSeconds(5)), "201 again within 5 s of PostgreSQL being back");
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK), "ready again");
            Assert.That(withoutEvent, Is.Zero, "tickets without their ticket.created event");
            Assert.That(duplicateKeys, Is.Zero, "a retried key made a second ticket");
            Assert.That(tickets, Is.EqualTo(load.Keys.Count), "every ticket is one a client got an answer for, once");
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task While_postgres_is_frozen_readiness_answers_503_within_its_timeout_and_201_returns_after_the_thaw(CancellationToken testToken)
    {
        // Under Multiplexing=true Npgsql ignores the cancellation of a running command, so this check
        // (and every request) waited as long as the database did: the hang of issue 14.
        if (LocalPostgresServer.FindBinDir() is null)
            Assert.Fail(LocalPostgresServer.InstallHint);
        await using var server = await LocalPostgresServer.StartThrowawayAsync(testToken);
        var database = server.ConnectionString("opsdesk_frozen");
        var migrated = await new DbMigrator(NullLogger<DbMigrator>.Instance).MigrateAsync(database, createDatabase: true, testToken);
        Assert.That(migrated.Successful, Is.True, migrated.Error);
        await using var factory = new ApiFactory(new()
        {
            ["ConnectionStrings:OpsDesk"] = database + ";" + ApiFactory.ApiConnectionExtras,
            ["Logging:LogLevel:Default"] = "Error",
        });
        using var client = factory.CreateAnonymousClient();
        client.Timeout = TimeSpan.FromSeconds(30);
        using (var warm = await client.GetAsync("/health/ready", testToken))
            Assert.That(warm.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var watch = Stopwatch.StartNew();
        HttpResponseMessage ready;
        using (server.Freeze())
        {
            ready = await client.GetAsync("/health/ready", testToken);
            watch.Stop();
        }

        using (ready)
        {
            TestContext.Out.WriteLine($"readiness answered {(int)ready.StatusCode} after {watch.ElapsedMilliseconds} ms of a frozen database");
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(ready.Headers.RetryAfter, Is.Not.Null);
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(3) + TimeSpan.FromSeconds(2)), "the check's 3 s timeout holds");
        }

        using var created = await Tickets.PostAsync(client, Tickets.Body(), Guid.NewGuid().ToString());
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), "the API works again once the database does");
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource db, string sql)
    {
        await using var cmd = db.CreateCommand(sql);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>Portal-like clients: a new key per ticket, the same key again after a 503, until the ticket is created.</summary>
    private sealed class CreateLoad(ApiFactory factory)
    {
        private readonly ConcurrentQueue<(TimeSpan Started, TimeSpan Completed)> createdAt = new();
        private int created;
        private int unavailable;
        private int replays;

        public Stopwatch Clock { get; } = Stopwatch.StartNew();

        public ConcurrentDictionary<int, int> Statuses { get; } = new();

        public ConcurrentQueue<string> Failures { get; } = new();

        public ConcurrentBag<string> Keys { get; } = [];

        public int Created => Volatile.Read(ref created);

        public int Replays => Volatile.Read(ref replays);

        public async Task RunClientAsync(CancellationToken stop)
        {
            using var client = factory.CreateAnonymousClient();
            client.Timeout = RequestTimeout;
            while (!stop.IsCancellationRequested)
            {
                var key = Guid.NewGuid().ToString();
                var body = Tickets.Body();
                // Once a key was sent, it is retried until it is answered: stopping then could leave a
                // committed ticket nobody was told about, which is what the final count checks.
                while (true)
                {
                    var started = Clock.Elapsed;
                    HttpResponseMessage response;
                    try
                    {
                        response = await Tickets.PostAsync(client, body, key);
                    }
                    catch (TaskCanceledException)
                    {
                        Failures.Enqueue($"no answer within {RequestTimeout.TotalSeconds} s (the API hangs)");
                        return;
                    }

                    using (response)
                    {
                        var status = (int)response.StatusCode;
                        Statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                        if (status is 201 or 200)
                        {
                            if (status == 200)
                                Interlocked.Increment(ref replays);
                            Keys.Add(key);
                            createdAt.Enqueue((started, Clock.Elapsed));
                            Interlocked.Increment(ref created);
                            break;
                        }

                        if (status == 503 && response.Headers.RetryAfter is not null
                            && response.Content.Headers.ContentType?.MediaType == "application/problem+json")
                        {
                            Interlocked.Increment(ref unavailable);
                            // A portal waits Retry-After; this one only yields, to hit the restart window hard.
                            await Task.Yield();
                            continue;
                        }

                        Failures.Enqueue($"{status}: {await response.Content.ReadAsStringAsync(CancellationToken.None)}");
                        return;
                    }
                }
            }
        }

        public Task WaitForCreatedAsync(int count, CancellationToken ct, TimeSpan? startedAfter = null) =>
            WaitAsync(() => startedAfter is { } after ? createdAt.Any(c => c.Started >= after) : Created >= count, ct);

        public Task WaitForUnavailableAsync(CancellationToken ct) => WaitAsync(() => Volatile.Read(ref unavailable) > 0, ct);

        public TimeSpan FirstCreatedCompletedAfter(TimeSpan back) => createdAt.Where(c => c.Started >= back).Min(c => c.Completed);

        public async Task<HttpResponseMessage> ReadinessAsync(CancellationToken ct)
        {
            using var client = factory.CreateAnonymousClient();
            client.Timeout = TimeSpan.FromSeconds(10);
            return await client.GetAsync("/health/ready", ct);
        }

        private async Task WaitAsync(Func<bool> condition, CancellationToken ct)
        {
            while (!condition())
            {
                if (!Failures.IsEmpty)
                    Assert.Fail("load failed: " + string.Join("; ", Failures.Take(3)));
                await Task.Delay(10, ct);
            }
        }
    }
}
