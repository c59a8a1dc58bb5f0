using Microsoft.Extensions.Logging.Abstractions;
using OpsDesk.Db.Tickets;
using OpsDesk.Db.Triage;
using OpsDesk.Tests.Support;
using OpsDesk.Workflows;
using OpsDesk.Workflows.Triage;
using Temporalio.Exceptions;
using Temporalio.Testing;

namespace OpsDesk.Tests.Workflows.Triage;

public sealed class TriageActivitiesTests
{
    private static readonly TriageRepository Repository = new(TestDatabase.DataSource);

    private static TriageActivities Activities(params Func<OpsDesk.Workflows.Triage.Classifiers.TicketText, OpsDesk.Workflows.Triage.Classifiers.Classification>[] script) =>
        new(new TriageRepository(TestDatabase.DataSource), new ScriptedClassifier(script), NullLogger<TriageActivities>.Instance);

    private static async Task<long> NewTicketAsync(string? subject = null)
    {
        var result = await new TicketRepository(TestDatabase.DataSource).InsertAsync(
            new NewTicket(subject ?? "Payment failed " + Guid.NewGuid().ToString("N")[..6], "Charged twice for ORD-1234", "web", null, null, null));
        return result.Ticket.Id;
    }

    [Test]
    public async Task Start_triage_marks_the_ticket_running()
    {
        var id = await NewTicketAsync();

        await new ActivityEnvironment().RunAsync(() => Activities().StartTriageAsync(id));

        Assert.That(await TestDatabase.ScalarAsync<string>("SELECT triage_status FROM tickets WHERE id = @id", ("id", id)), Is.EqualTo("running"));
    }

    [Test]
    public async Task Start_triage_of_a_missing_ticket_is_a_non_retryable_failure()
    {
        var ex = Assert.ThrowsAsync<ApplicationFailureException>(() => new ActivityEnvironment().RunAsync(() => Activities().StartTriageAsync(987654321)));

        Assert.That(ex!.NonRetryable, Is.True);
        Assert.That(ex.ErrorType, Is.EqualTo(TicketNotFound.ErrorType));
    }

    [Test]
    public async Task Classify_passes_the_ticket_text_to_the_classifier()
    {
        var id = await NewTicketAsync("Refund missing");
        var classifier = new ScriptedClassifier(ScriptedClassifier.Returns(TriageHistories.SampleClassification()));
        var activities = new TriageActivities(Repository, classifier, NullLogger<TriageActivities>.Instance);

        var result = await new ActivityEnvironment().RunAsync(() => activities.ClassifyTicketAsync(id));

        Assert.That(result.Category, Is.EqualTo("payments"));
        Assert.That(classifier.Seen.Single(), Is.EqualTo(new OpsDesk.Workflows.Triage.Classifiers.TicketText(id, "Refund missing", "Charged twice for ORD-1234", "web")));
    }

    [TestCase("unauthorized")]
    [TestCase("refusal")]
    [TestCase("schema")]
    public async Task Permanent_provider_failure_becomes_a_non_retryable_failure_with_the_reason(string reason)
    {
        var id = await NewTicketAsync();

        var ex = Assert.ThrowsAsync<ApplicationFailureException>(() =>
            new ActivityEnvironment().RunAsync(() => Activities(ScriptedClassifier.Fails(reason, permanent: true)).ClassifyTicketAsync(id)));

        Assert.That(ex!.NonRetryable, Is.True);
        Assert.That(ex.ErrorType, Is.EqualTo(TriagePolicy.PermanentClassifierError));
        Assert.That(ex.Details.ElementAt<string>(0), Is.EqualTo(reason));
    }

    [TestCase("rate_limited")]
    [TestCase("server_error")]
    [TestCase("timeout")]
    public async Task Transient_provider_failure_is_left_to_temporal_to_retry(string reason)
    {
        var id = await NewTicketAsync();

        var ex = Assert.ThrowsAsync<ApplicationFailureException>(() =>
            new ActivityEnvironment().RunAsync(() => Activities(ScriptedClassifier.Fails(reason, permanent: false)).ClassifyTicketAsync(id)));

        Assert.That(ex!.NonRetryable, Is.False);
        Assert.That(ex.ErrorType, Is.EqualTo(TriagePolicy.TransientClassifierError));
    }

    [Test]
    public async Task Saving_twice_leaves_one_ai_row_and_one_classified_event()
    {
        var id = await NewTicketAsync();
        var input = new SaveClassificationInput(id, TriageHistories.SampleClassification());
        var env = new ActivityEnvironment();

        await env.RunAsync(() => Activities().SaveClassificationAsync(input));
        await env.RunAsync(() => Activities().SaveClassificationAsync(input));

        Assert.Multiple(async () =>
        {
            Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM ticket_ai WHERE ticket_id = @id", ("id", id)), Is.EqualTo(1));
            Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM ticket_events WHERE ticket_id = @id AND type = 'ticket.classified'", ("id", id)), Is.EqualTo(1));
            Assert.That(await TestDatabase.ScalarAsync<string>("SELECT triage_status || '/' || category || '/' || priority FROM tickets WHERE id = @id", ("id", id)), Is.EqualTo("classified/payments/P1"));
            Assert.That(await TestDatabase.ScalarAsync<string>("SELECT entities->0->>'value' FROM ticket_ai WHERE ticket_id = @id", ("id", id)), Is.EqualTo("ORD-88231"));
        });
    }

    [Test]
    public async Task Saving_keeps_a_priority_an_agent_already_set()
    {
        var id = await NewTicketAsync();
        await TestDatabase.ExecuteAsync("UPDATE tickets SET priority = 'P0' WHERE id = @id", ("id", id));

        await new ActivityEnvironment().RunAsync(() => Activities().SaveClassificationAsync(new SaveClassificationInput(id, TriageHistories.SampleClassification("P3"))));

        Assert.That(await TestDatabase.ScalarAsync<string>("SELECT priority FROM tickets WHERE id = @id", ("id", id)), Is.EqualTo("P0"));
        Assert.That(await TestDatabase.ScalarAsync<string>("SELECT priority FROM ticket_ai WHERE ticket_id = @id", ("id", id)), Is.EqualTo("P3"));
    }

    [Test]
    public async Task Recording_a_failure_twice_in_one_run_writes_one_event_and_a_new_run_writes_another()
    {
        var id = await NewTicketAsync();
        var input = new RecordFailureInput(id, "unauthorized", "401 from provider", 1);
        var runA = new ActivityEnvironment { Info = ActivityEnvironment.DefaultInfo with { WorkflowRunId = "run-a" } };
        var runB = new ActivityEnvironment { Info = ActivityEnvironment.DefaultInfo with { WorkflowRunId = "run-b" } };

        await runA.RunAsync(() => Activities().RecordTriageFailureAsync(input));
        await runA.RunAsync(() => Activities().RecordTriageFailureAsync(input));
        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM ticket_events WHERE ticket_id = @id AND type = 'ticket.triage_failed'", ("id", id)), Is.EqualTo(1));

        await runB.RunAsync(() => Activities().RecordTriageFailureAsync(input));
        Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM ticket_events WHERE ticket_id = @id AND type = 'ticket.triage_failed'", ("id", id)), Is.EqualTo(2));
        Assert.That(await TestDatabase.ScalarAsync<string>("SELECT triage_status FROM tickets WHERE id = @id", ("id", id)), Is.EqualTo("failed"));
        Assert.That(await TestDatabase.ScalarAsync<string>("SELECT payload->>'reason' FROM ticket_events WHERE ticket_id = @id AND type = 'ticket.triage_failed' LIMIT 1", ("id", id)), Is.EqualTo("unauthorized"));
    }
}

public sealed class TriageHistoryPrivacyTests
{
    [Test]
    public async Task Classification_leaving_the_activity_holds_no_personal_values_and_the_saved_row_holds_them_all()
    {
        const string email = "asha.verma@example.com";
        const string phone = "+91 98765 43210";
        var created = await new TicketRepository(TestDatabase.DataSource).InsertAsync(new NewTicket(
            "OTP not received",
            $"I am not getting the OTP on my phone {phone} while logging in. Write to {email}.",
            "email", null, null, null));
        var id = created.Ticket.Id;
        var activities = new TriageActivities(
            new TriageRepository(TestDatabase.DataSource),
            new OpsDesk.Workflows.Triage.Classifiers.Local.LocalTicketClassifier(),
            NullLogger<TriageActivities>.Instance);
        var env = new ActivityEnvironment();

        var forHistory = await env.RunAsync(() => activities.ClassifyTicketAsync(id));
        var historyJson = System.Text.Json.JsonSerializer.Serialize(forHistory);
        await env.RunAsync(() => activities.SaveClassificationAsync(new SaveClassificationInput(id, forHistory)));

        Assert.That(historyJson, Does.Not.Contain(email).And.Not.Contain("98765"));
        Assert.That(forHistory.Entities.Select(e => e.Value), Has.Some.Match(@"^\[(EMAIL|PHONE)_\d+\]$"));
        var savedEntities = await TestDatabase.ScalarAsync<string>("SELECT entities::text FROM ticket_ai WHERE ticket_id = @id", ("id", id));
        Assert.That(savedEntities, Does.Contain(email));
        Assert.That(savedEntities, Does.Not.Contain("_1]"));
    }
}
