using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OpsDesk.Tests.Support;
using OpsDesk.Workflows.Triage.Classifiers;
using OpsDesk.Workflows.Triage.Classifiers.Chat;

namespace OpsDesk.Tests.Workflows.Triage.Classifiers;

/// <summary>The openai provider with knowledge-base articles, against the local chat-completions endpoint.</summary>
public sealed class CitedClassificationTests : ChatClassifierFixture
{
    private static readonly TicketText Ticket = new(
        51, "UPI debited, order failed", "Paid ₹1,200 by UPI, the app says failed but my bank debited it.", "web",
        [new ArticleSnippet(7001, "UPI debited but payment failed", "Auto-reversal within 48 hours; share the UTR."), new ArticleSnippet(7002, "UPI payment pending", "Wait before paying again.")]);

    protected override (ServiceProvider Services, ITicketClassifier Classifier) Create(FakeChatCompletionsServer server) =>
        ClassifierServices.OpenAI(server);

    private static string Cited(params long[] ids)
    {
        var reply = JsonNode.Parse(Replies.Valid())!.AsObject();
        reply["citations"] = new JsonArray([.. ids.Select(i => (JsonNode)i)]);
        return reply.ToJsonString();
    }

    [Test]
    public async Task The_request_carries_each_article_snippet_by_id_and_the_schema_asks_for_citations()
    {
        Server.EnqueueCompletion(Cited(7001));

        var result = await Classifier.ClassifyAsync(Ticket, CancellationToken.None);

        var body = Server.Requests.Single().Json;
        var messages = string.Join("\n", body["messages"]!.AsArray().Select(m => m!["content"] is JsonValue v ? v.GetValue<string>() : m["content"]!.ToJsonString()));
        Assert.Multiple(() =>
        {
            Assert.That(messages, Does.Contain("<article id=\"7001\" title=\"UPI debited but payment failed\">").And.Contain("Auto-reversal within 48 hours"));
            Assert.That(messages, Does.Contain("<article id=\"7002\"").And.Contain("Wait before paying again."));
            var schema = body["response_format"]!["json_schema"]!["schema"]!;
            Assert.That(schema["required"]!.AsArray().Select(r => r!.GetValue<string>()), Does.Contain("citations"));
            Assert.That(result.CitedArticleIds, Is.EqualTo(new long[] { 7001 }));
            Assert.That(result.PromptVersion, Is.EqualTo(TriagePrompt.CitedVersion));
        });
    }

    [Test]
    public async Task A_citation_of_an_article_that_was_not_given_is_rejected_and_repaired()
    {
        Server.EnqueueCompletion(Cited(7001, 999));
        Server.EnqueueCompletion(Cited(7002));

        var result = await Classifier.ClassifyAsync(Ticket, CancellationToken.None);

        Assert.That(Server.Requests, Has.Count.EqualTo(2));
        var repair = Server.Requests[1].Json["messages"]!.AsArray().Last()!["content"]!.ToJsonString();
        Assert.That(repair, Does.Contain("999").And.Contain("not one of the articles given"));
        Assert.That(result.CitedArticleIds, Is.EqualTo(new long[] { 7002 }));
    }

    [Test]
    public void A_foreign_citation_after_the_repair_fails_permanently()
    {
        Server.EnqueueCompletion(Cited(999));
        Server.EnqueueCompletion(Cited(12345));

        var ex = Assert.ThrowsAsync<ClassifierException>(() => Classifier.ClassifyAsync(Ticket, CancellationToken.None));

        Assert.That(ex!.Reason, Is.EqualTo("schema"));
        Assert.That(ex.Permanent, Is.True);
    }

    [Test]
    public void Without_articles_a_citations_property_is_refused()
    {
        var errors = TriageReplyValidator.Validate(Cited(1), out var reply);
        Assert.That(reply, Is.Null);
        Assert.That(errors, Has.Some.Contains("citations"));
    }
}
