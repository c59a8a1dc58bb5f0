using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;
using OpenTelemetry.Trace;
using OpsDesk.Tests.Support;
using OpsDesk.Workflows.Telemetry;

namespace OpsDesk.Tests.Workflows.Telemetry;

/// <summary>
/// OpenTelemetry end to end: the real API and worker hosts, each with its own tracer or meter provider
/// (the test adds an in-memory exporter; metrics are scraped at /metrics), over a database of their
/// own, Temporal's test server, the OpenAI classifier against the local fake, and (traces) the Kafka
/// mock cluster. The API and the worker share nothing but what production shares: Temporal (the trace
/// context in workflow and activity headers) and PostgreSQL (the event's stored traceparent).
/// Not parallel with other fixtures: metrics are per process, and other tests' tickets would count.
/// </summary>
[Category("Temporal")]
[NonParallelizable]
public sealed class TelemetryLiveTests : LiveTemporalFixture
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private const string ClassificationJson = """{"summary":"Card charged but the order shows failed","category":"payments","priority":"P1","entities":[],"confidence":0.9,"language":"en","sentiment":"negative"}""";

    private Dictionary<string, string?> Settings(string database, FakeChatCompletionsServer provider, params (string Key, string? Value)[] extra) =>
        LiveWorker.Settings("live-otel-" + Guid.NewGuid().ToString("N")[..8],
        [
            ("ConnectionStrings:OpsDesk", database),
            // Both hosts connect themselves, as deployed: the tracing interceptor and the metrics runtime are theirs.
            ("Temporal:Address", Env.Client.Connection.Options.TargetHost),
            ("Triage:Provider", "openai"), ("OpenAI:ApiKey", "sk-test"), ("OpenAI:Endpoint", provider.OpenAIEndpoint),
            .. extra,
        ]);

    /// <summary>
    /// A database of the test's own (exact gauges, a relay that publishes only this test's events)
    /// whose ticket ids start where no other test's do: workflow ids (<c>triage-{id}</c>) on the
    /// shared Temporal server must not meet those of another fresh database.
    /// </summary>
    private static async Task<string> DatabaseAsync()
    {
        var database = await TestDatabase.CreateIsolatedDatabaseAsync();
        await ExecuteAsync(database, $"ALTER TABLE tickets ALTER COLUMN id RESTART WITH {Random.Shared.NextInt64(1_000_000_000, 1_000_000_000_000)}");
        return database;
    }

    private static async Task<object?> ExecuteAsync(string database, string sql, params (string Name, object Value)[] args)
    {
        await using var conn = new NpgsqlConnection(database);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (name, value) in args)
            cmd.Parameters.AddWithValue(name, value);
        return await cmd.ExecuteScalarAsync();
    }

    private static async Task<T> ScalarAsync<T>(string database, string sql, params (string Name, object Value)[] args) =>
        (T)Convert.ChangeType((await ExecuteAsync(database, sql, args))!, typeof(T), CultureInfo.InvariantCulture);

    private static string? Sql(Activity span) => (span.GetTagItem("db.query.text") ?? span.GetTagItem("db.statement")) as string;

    private static bool IsTicket(Activity span, long id) => span.GetTagItem(OpsDeskTelemetry.TicketIdTag) is long tagged && tagged == id;

    [Test]
    public async Task A_ticket_created_over_http_is_one_trace_from_the_request_through_temporal_and_its_sql_to_the_kafka_publish()
    {
        var database = await DatabaseAsync();
        using var kafka = new KafkaMockCluster();
        await using var provider = await FakeChatCompletionsServer.StartAsync();
        provider.AnswerWhenScriptIsEmpty(ClassificationJson);
        var prefix = "otel" + Guid.NewGuid().ToString("N")[..8] + ".";
        var settings = Settings(database, provider,
            ("Telemetry:Tracing", "true"),
            ("Kafka:BootstrapServers", kafka.BootstrapServers), ("Kafka:TopicPrefix", prefix), ("Kafka:ProvisionTopics", "false"));
        SpanList apiSpans = [], workerSpans = [];
        await using var worker = await LiveWorker.StartAsync(null, settings,
            services: s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(workerSpans)));
        await using var api = new ApiFactory(settings, realStarter: true,
            services: s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(apiSpans)));
        using var http = api.CreateAnonymousClient();

        var marker = Guid.NewGuid().ToString("N");
        var subject = "Card charged twice " + marker;
        var description = "Order 4242 of " + marker + " failed after the payment went through";
        var email = $"pii-{marker}@example.com";
        var id = (await Tickets.CreateAsync(http, Tickets.Body(subject, description, "web", email)))["id"]!.GetValue<long>();

        await LiveTemporal.WaitForAsync(async () => await ScalarAsync<long>(database,
            "SELECT count(*) FROM ticket_events WHERE ticket_id = @id AND type IN ('ticket.created', 'ticket.classified') AND published_at IS NOT NULL",
            ("id", id)) == 2, Patience, $"ticket {id}'s created and classified events on Kafka");
        // Both hosts listen to every source in this process: a span can reach both lists, once each.
        List<Activity> All() => [.. apiSpans.Snapshot().Concat(workerSpans.Snapshot()).DistinctBy(s => s.SpanId)];
        await LiveTemporal.WaitForAsync(() => Task.FromResult(All().Count(s => s.Kind == ActivityKind.Producer && IsTicket(s, id)) == 2),
            Patience, "the two publish spans to end");

        var spans = All();
        var server = spans.Single(s => s.Source.Name == "Microsoft.AspNetCore" && s.Kind == ActivityKind.Server && IsTicket(s, id));
        var trace = spans.Where(s => s.TraceId == server.TraceId).ToList();
        var byId = trace.ToDictionary(s => s.SpanId);
        bool Under(Activity span, Activity ancestor)
        {
            for (var at = span; byId.ContainsKey(at.ParentSpanId) || at.ParentSpanId == ancestor.SpanId; at = byId[at.ParentSpanId])
            {
                if (at.ParentSpanId == ancestor.SpanId)
                    return true;
            }

            return false;
        }

        string Describe() => string.Join("\n", trace.Select(s => $"{s.Source.Name} {s.Kind} {s.DisplayName} {s.SpanId} <- {s.ParentSpanId}"));
        var insert = trace.Single(s => s.Source.Name == "Npgsql" && Sql(s)?.Contains("INSERT INTO tickets", StringComparison.Ordinal) == true);
        var start = trace.Single(s => s.DisplayName == "StartWorkflow:TriageWorkflow");
        var runs = new[] { "StartTriage", "RetrieveArticles", "ClassifyTicketWithArticles", "SaveClassification" }
            .ToDictionary(a => a, a => trace.Single(s => s.DisplayName == "RunActivity:" + a));
        var llm = trace.Single(s => s.Source.Name == "System.Net.Http" && s.Kind == ActivityKind.Client);
        var publishedCreated = trace.Single(s => s.Kind == ActivityKind.Producer && s.DisplayName == prefix + "ticket.created publish");
        var publishedClassified = trace.Single(s => s.Kind == ActivityKind.Producer && s.DisplayName == prefix + "ticket.classified publish");
        Assert.Multiple(() =>
        {
            Assert.That(Under(insert, server), Is.True, "the insert runs in the request\n" + Describe());
            // The start queue carries the request's context to the start's client span, which hangs right under it.
            Assert.That(start.ParentSpanId, Is.EqualTo(server.SpanId), "the workflow start is a child of the request (through the start queue)\n" + Describe());
            foreach (var (name, run) in runs)
            {
                // Across Temporal: the activity's parent is the client's start span, read from the activity's header.
                Assert.That(run.ParentSpanId, Is.EqualTo(start.SpanId), $"{name} runs under the workflow start\n" + Describe());
                Assert.That(IsTicket(run, id), Is.True, $"{name} carries the ticket id");
                Assert.That(trace.Any(s => s.Source.Name == "Npgsql" && Under(s, run)), Is.True, $"{name}'s SQL is in its span\n" + Describe());
            }

            Assert.That(Under(llm, runs["ClassifyTicketWithArticles"]), Is.True, "the LLM call runs in the classify activity\n" + Describe());
            Assert.That(llm.GetTagItem("url.full")?.ToString(), Does.Contain("/chat/completions"));
            // Across the outbox: each publish continues the span that wrote its event.
            Assert.That(publishedCreated.ParentSpanId, Is.EqualTo(server.SpanId), "ticket.created was written by the request\n" + Describe());
            Assert.That(publishedClassified.ParentSpanId, Is.EqualTo(runs["SaveClassification"].SpanId), "ticket.classified was written by the save activity\n" + Describe());
        });

        // Log records carry the span they were written in (scopes; the JSON console format prints them).
        var classifiedLog = worker.Logs.Lines.Single(l => l.Contains($"Ticket {id} classified by openai", StringComparison.Ordinal));
        Assert.That(classifiedLog, Does.Contain("TraceId:" + server.TraceId.ToHexString()).And.Contain("SpanId:" + runs["ClassifyTicketWithArticles"].SpanId.ToHexString()));

        // The CloudEvent carries the writer's traceparent (header and distributed-tracing attribute).
        var messages = kafka.ReadAll([prefix + "ticket.created", prefix + "ticket.classified"]).Where(m => m.Message.Key == id.ToString(CultureInfo.InvariantCulture)).ToList();
        Assert.That(messages, Has.Count.EqualTo(2));
        foreach (var m in messages)
        {
            var type = Encoding.UTF8.GetString(m.Message.Headers.GetLastBytes("ce_type"));
            var traceParent = Encoding.UTF8.GetString(m.Message.Headers.GetLastBytes("ce_traceparent"));
            var stored = await ScalarAsync<string>(database, "SELECT trace_parent FROM ticket_events WHERE ticket_id = @id AND type = @type", ("id", id), ("type", type));
            var writer = type == "ticket.created" ? server : runs["SaveClassification"];
            Assert.Multiple(() =>
            {
                Assert.That(traceParent, Is.EqualTo(stored), type);
                Assert.That(traceParent, Is.EqualTo(writer.Id), type + " names its writer's span");
                Assert.That(System.Text.Json.Nodes.JsonNode.Parse(m.Message.Value)!["traceparent"]!.GetValue<string>(), Is.EqualTo(traceParent));
            });
        }

        // Ids, never ticket text or PII: no span names or attributes carry them (SQL keeps its @name placeholders).
        foreach (var span in trace)
        {
            var texts = span.TagObjects.Select(t => $"{t.Key}={t.Value}").Append(span.DisplayName);
            foreach (var text in texts)
                Assert.That(text, Does.Not.Contain(marker).And.Not.Contain("Card charged twice"), $"{span.Source.Name} {span.DisplayName}");
        }

        Assert.That(Sql(insert), Does.Contain("VALUES (@Subject, @Description, @Source, @RequesterEmail"), "parameters stay placeholders");
    }

    [Test]
    public async Task Metrics_scraped_after_a_run_count_tickets_triage_classify_failures_sla_alerts_reconciler_starts_outbox_and_temporal()
    {
        var database = await DatabaseAsync();
        await using var provider = await FakeChatCompletionsServer.StartAsync();
        // One transient failure (HTTP 500: server_error), then answers: one classify retry among three tickets.
        provider.EnqueueStatus(500);
        provider.AnswerWhenScriptIsEmpty(ClassificationJson);
        var settings = Settings(database, provider,
            ("OTEL_METRICS_EXPORTER", "prometheus"),
            // The reconciler starts every ticket (one pass at start); both P1 targets warn after 30 s and breach after
            // 60 s (room for a slow triage on a busy machine: an SLA that starts past its warning time only breaches).
            ("Triage:StartOnCreate", "false"), ("Triage:ReconcileAfterSeconds", "1"), ("Triage:ReconcileEverySeconds", "3600"),
            ("Sla:FirstResponseTargets:P1", "00:01:00"), ("Sla:ResolutionTargets:P1", "00:01:00"), ("Sla:WarningAt", "0.5"));
        await using var api = new ApiFactory(settings, realStarter: true);
        using var http = api.CreateAnonymousClient();
        var ids = new List<long>();
        foreach (var source in new[] { "email", "email", "chat" })
            ids.Add((await Tickets.CreateAsync(http, Tickets.Body(source: source)))["id"]!.GetValue<long>());
        await LiveTemporal.WaitForAsync(async () => await ScalarAsync<bool>(database, "SELECT bool_and(created_at < now() - interval '1 second') FROM tickets"),
            Patience, "the tickets to be older than Triage:ReconcileAfterSeconds");

        await using var worker = await LiveWorker.StartAsync(null, settings);
        await LiveTemporal.WaitForAsync(async () => await ScalarAsync<long>(database, "SELECT count(*) FROM ticket_events WHERE type = 'sla.breached'") == 6,
            TimeSpan.FromSeconds(180), "the three tickets triaged, both targets warned and breached");
        // One poison event parked (as the relay parks them): the parked gauge reads outbox_parked.
        await ExecuteAsync(database,
            "INSERT INTO outbox_parked (event_id, ticket_id, reason) SELECT id, ticket_id, 'MsgSizeTooLarge: test' FROM ticket_events WHERE ticket_id = @id AND type = 'ticket.created'",
            ("id", ids[0]));

        const string oldestAge = "SELECT extract(epoch FROM now() - min(occurred_at))::float8 FROM ticket_events e WHERE NOT EXISTS (SELECT 1 FROM outbox_parked p WHERE p.event_id = e.id)";
        var ageBefore = await ScalarAsync<double>(database, oldestAge);
        using var scraper = new HttpClient { BaseAddress = worker.BaseAddress };
        var workerMetrics = new PrometheusText(await scraper.GetStringAsync(TelemetryServiceCollectionExtensions.MetricsPath));
        var ageAfter = await ScalarAsync<double>(database, oldestAge);
        var apiMetrics = new PrometheusText(await http.GetStringAsync(TelemetryServiceCollectionExtensions.MetricsPath));
        var events = await ScalarAsync<long>(database, "SELECT count(*) FROM ticket_events");

        Assert.Multiple(() =>
        {
            Assert.That(apiMetrics.Sum("opsdesk_tickets_created_total", ("source", "email")), Is.EqualTo(2), apiMetrics.Text);
            Assert.That(apiMetrics.Sum("opsdesk_tickets_created_total", ("source", "chat")), Is.EqualTo(1));
            var w = workerMetrics.Text;
            Assert.That(workerMetrics.Sum("opsdesk_triage_duration_seconds_count", ("provider", "openai"), ("outcome", "classified")), Is.EqualTo(3), w);
            Assert.That(workerMetrics.Sum("opsdesk_triage_duration_seconds_bucket", ("provider", "openai"), ("outcome", "classified"), ("le", "+Inf")), Is.EqualTo(3), w);
            Assert.That(workerMetrics.Sum("opsdesk_classify_failures_total", ("provider", "openai"), ("reason", "server_error"), ("permanent", "false")), Is.EqualTo(1), w);
            foreach (var target in new[] { "first_response", "resolution" })
            {
                Assert.That(workerMetrics.Sum("opsdesk_sla_warnings_total", ("target", target), ("priority", "P1")), Is.EqualTo(3), w);
                Assert.That(workerMetrics.Sum("opsdesk_sla_breaches_total", ("target", target), ("priority", "P1")), Is.EqualTo(3), w);
            }
            Assert.That(workerMetrics.Sum("opsdesk_reconciler_starts_total"), Is.EqualTo(3), w);
            // No Kafka here: every event waits. Per ticket: created, classified, and per target a warning and a breach.
            Assert.That(events, Is.EqualTo(18));
            Assert.That(workerMetrics.Sum("opsdesk_outbox_backlog"), Is.EqualTo(events), w);
            Assert.That(workerMetrics.Sum("opsdesk_outbox_parked"), Is.EqualTo(1), w);
            Assert.That(workerMetrics.Sum("opsdesk_outbox_lag_seconds"), Is.InRange(ageBefore, ageAfter), w);
            // Temporal's SDK metrics, from the worker's core runtime: the three triage workflows completed.
            Assert.That(workerMetrics.Sum("temporal_workflow_completed_total", ("workflow_type", "TriageWorkflow")), Is.EqualTo(3), w);
        });
    }
}
