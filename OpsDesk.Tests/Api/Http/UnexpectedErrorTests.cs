using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Api.Http;

public sealed class UnexpectedErrorTests
{
    [Test]
    public async Task An_unexpected_error_answers_500_problem_details_and_is_logged_once_with_its_trace_id_and_no_ticket_text()
    {
        var recorder = new RecordingLoggerProvider();
        await using var factory = new ApiFactory(
            services: s => s.AddLogging(b => b.AddProvider(recorder).AddFilter<RecordingLoggerProvider>(null, LogLevel.Information)));
        var subject = "boom-" + Guid.NewGuid().ToString("N");
        var description = "desc-" + Guid.NewGuid().ToString("N");
        // A failure that is not the database being away (those are 503s): the event insert raises for this ticket only.
        var fn = "fail_" + Guid.NewGuid().ToString("N")[..10];
        await TestDatabase.ExecuteAsync($"""
            CREATE FUNCTION {fn}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'forced failure for the 500 test'; END; $$;
            CREATE TRIGGER {fn} BEFORE INSERT ON ticket_events FOR EACH ROW
                WHEN (NEW.payload->>'subject' = '{subject}') EXECUTE FUNCTION {fn}();
            """);
        try
        {
            using var client = factory.CreateClientWithKey(ApiFactory.AgentKey);
            using var response = await Tickets.PostAsync(client, Tickets.Body(subject: subject, description: description));
            var problem = await Tickets.ReadAsync(response);

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            var traceId = problem["traceId"]?.GetValue<string>();
            Assert.That(traceId, Is.Not.Null.And.Not.Empty, problem.ToJsonString());
            var logged = recorder.Lines.Where(l => l.Contains("Unhandled exception answered with 500", StringComparison.Ordinal)).ToList();
            Assert.That(logged, Has.Count.EqualTo(1), recorder.AllText);
            Assert.That(logged[0], Does.Contain("POST /api/tickets").And.Contain(traceId!).And.Contain("forced failure for the 500 test"));
            Assert.That(recorder.AllText, Does.Not.Contain(subject).And.Not.Contain(description));
            Assert.That(await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM tickets WHERE subject = @s", ("s", subject)), Is.Zero);
        }
        finally
        {
            await TestDatabase.ExecuteAsync($"DROP TRIGGER {fn} ON ticket_events; DROP FUNCTION {fn}();");
        }
    }
}
