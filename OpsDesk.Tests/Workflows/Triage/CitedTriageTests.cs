using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using OpsDesk.Db.Kb;
using OpsDesk.Db.Tickets;
using OpsDesk.Db.Triage;
using OpsDesk.Tests.Support;
using OpsDesk.Workflows.Kb;
using OpsDesk.Workflows.Triage;
using OpsDesk.Workflows.Triage.Classifiers.Local;
using Temporalio.Testing;

namespace OpsDesk.Tests.Workflows.Triage;

/// <summary>Retrieval and citations through the real triage activities, the starter articles (MiniLM) and PostgreSQL.</summary>
public sealed class CitedTriageTests
{
    private NpgsqlDataSource db = null!;
    private TriageActivities activities = null!;

    [OneTimeSetUp]
    public async Task ImportAsync()
    {
        db = NpgsqlDataSource.Create(await TestDatabase.CreateIsolatedDatabaseAsync());
        await KbTestData.ImportStarterSetAsync(db);
        activities = new TriageActivities(new TriageRepository(db), new LocalTicketClassifier(), NullLogger<TriageActivities>.Instance, KbTestData.Retriever(db), new KbRepository(db));
    }

    [OneTimeTearDown]
    public async Task DisposeAsync() => await db.DisposeAsync();

    private async Task<long> TicketAsync(string subject, string description) =>
        (await new TicketRepository(db).InsertAsync(new NewTicket(subject, description, "web", null, null, null))).Ticket.Id;

    [Test]
    public async Task A_ticket_that_matches_an_article_is_saved_with_that_article_cited()
    {
        var id = await TicketAsync("OTP not coming", "I am not receiving the OTP SMS to log in, tried resend many times since morning.");
        var env = new ActivityEnvironment();

        var citations = await env.RunAsync(() => activities.RetrieveArticlesAsync(id));
        var classification = await env.RunAsync(() => activities.ClassifyTicketWithArticlesAsync(new ClassifyInput(id, citations)));
        await env.RunAsync(() => activities.SaveClassificationAsync(new SaveClassificationInput(id, classification, citations)));

        Assert.That(citations.Select(c => c.Slug), Does.Contain("otp-not-received"));
        Assert.That(citations.Select(c => c.Score), Is.Ordered.Descending);
        await using var cmd = db.CreateCommand("SELECT jsonb_path_query_array(citations, '$[*].slug')::text, jsonb_array_length(citations) FROM ticket_ai WHERE ticket_id = @id");
        cmd.Parameters.AddWithValue("id", id);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.That(await reader.ReadAsync(), Is.True);
        Assert.That(reader.GetString(0), Does.Contain("\"otp-not-received\""));
        Assert.That(reader.GetInt32(1), Is.EqualTo(citations.Count));
    }

    [Test]
    public async Task A_ticket_about_nothing_in_the_knowledge_base_cites_nothing()
    {
        var id = await TicketAsync("Office plant", "Which species of fern grows best in low light on a north-facing windowsill?");

        var citations = await new ActivityEnvironment().RunAsync(() => activities.RetrieveArticlesAsync(id));

        Assert.That(citations, Is.Empty);
    }
}
