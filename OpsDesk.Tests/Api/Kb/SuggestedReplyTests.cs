using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using OpsDesk.Db.Auth;
using OpsDesk.Db.Kb;
using OpsDesk.Db.Triage;
using OpsDesk.Tests.Support;
using OpsDesk.Workflows.Kb;
using OpsDesk.Workflows.Triage.Classifiers;
using OpsDesk.Workflows.Triage.Classifiers.Chat;

namespace OpsDesk.Tests.Api.Kb;

/// <summary>GET /api/tickets/{id}/suggested-reply offline through the API, and the LLM draft against the local chat-completions endpoint.</summary>
public sealed class SuggestedReplyTests : ApiFixture
{
    private const string Answer = "Your refund left us on the day of the return and reaches your bank within 5 working days.";

    private static async Task<KbArticleRow> ArticleAsync() =>
        (await new KbRepository(TestDatabase.DataSource).InsertAsync(
            new KbArticleInput("reply-" + Guid.NewGuid().ToString("N")[..10], "Refund timing", $"Refunds take time.\n\n## Answer\n{Answer}\n\n## Related\n- x\n", ["refunds"], KbVisibility.Public),
            CancellationToken.None)).Article!;

    private async Task<long> CitedTicketAsync(KbArticleRow article)
    {
        var id = (await Tickets.CreateAsync(Api, Tickets.Body("Refund missing", "Returned my order, where is my refund? Mail ravi@example.com")))["id"]!.GetValue<long>();
        var citations = $$"""[{"id":{{article.Id}},"slug":"{{article.Slug}}","title":"{{article.Title}}","score":1.0,"public":true}]""";
        await new TriageRepository(TestDatabase.DataSource).SaveAsync(
            new TriageResultRow(id, "s", "refunds", "P2", "[]", 0.9, "en", "neutral", "local", null, "local-v2", citations), default);
        return id;
    }

    [Test]
    public async Task Offline_the_draft_is_the_cited_articles_answer_section()
    {
        var article = await ArticleAsync();
        var id = await CitedTicketAsync(article);

        using var response = await Api.GetAsync($"/api/tickets/{id}/suggested-reply");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var body = await Tickets.ReadAsync(response);
        Assert.That(body["source"]!.GetValue<string>(), Is.EqualTo("article"));
        Assert.That(body["draft"]!.GetValue<string>(), Is.EqualTo(Answer));
        Assert.That(body["articles"]!.AsArray().Select(a => a!["slug"]!.GetValue<string>()), Is.EqualTo(new[] { article.Slug }));
    }

    [Test]
    public async Task A_missing_ticket_is_404_and_requesters_may_not_ask()
    {
        using var requester = Factory.CreateClientWithKey((await ApiKeys.CreateAsync(ApiKeyRoles.Requester)).Key);
        using var missing = await Api.GetAsync("/api/tickets/987654321/suggested-reply");
        using var forbidden = await requester.GetAsync("/api/tickets/1/suggested-reply");

        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(forbidden.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task With_a_chat_model_the_draft_is_grounded_on_the_articles_and_no_email_leaves()
    {
        var article = await ArticleAsync();
        await using var server = await FakeChatCompletionsServer.StartAsync();
        server.EnqueueCompletion("Hi! Your refund was sent; we will mail [EMAIL_1] when it lands.");
        var chat = ChatClientFactory.CreateOpenAI(new OpenAIOptions { ApiKey = "sk-test", Endpoint = server.OpenAIEndpoint });
        var drafter = new ReplyDrafter(new KbRepository(TestDatabase.DataSource), KbTestData.Retriever(TestDatabase.DataSource), chat, "gpt-4.1-mini", NullLogger<ReplyDrafter>.Instance);
        var citations = $$"""[{"id":{{article.Id}},"slug":"{{article.Slug}}","title":"Refund timing","score":1.0,"public":true}]""";

        var reply = await drafter.DraftAsync("Refund missing", "Where is my refund? Mail ravi@example.com", citations, CancellationToken.None);

        var sent = string.Join("\n", server.Requests.Single().Json["messages"]!.AsArray().Select(m => m!["content"] is JsonValue v ? v.GetValue<string>() : m["content"]!.ToJsonString()));
        Assert.Multiple(() =>
        {
            Assert.That(sent, Does.Contain($"<article id=\"{article.Id}\"").And.Contain(Answer));
            Assert.That(sent, Does.Not.Contain("ravi@example.com"));
            Assert.That(reply.Source, Is.EqualTo("llm"));
            Assert.That(reply.Draft, Is.EqualTo("Hi! Your refund was sent; we will mail ravi@example.com when it lands."));
        });
    }
}
